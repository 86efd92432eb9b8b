package io.weft.audit;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * At start, one audit row per integration file this instance loaded (route files, Kamelets, mappings,
 * schemas, lookups, and config/application.properties if there is one), with its SHA-256: which version of
 * the plant's integration ran when, as ISO 27001 A.8.15 asks. Actor: this instance (weft.instance-id).
 */
@ApplicationScoped
public class ConfigurationAudit {
    private static final Logger LOG = Logger.getLogger(ConfigurationAudit.class);

    @Inject
    AuditTrail audit;
    @ConfigProperty(name = "weft.routes-dir")
    String routesDir;
    @ConfigProperty(name = "weft.mappings-dir")
    String mappingsDir;
    @ConfigProperty(name = "weft.instance-id")
    String instance;

    void onStart(@Observes StartupEvent start) {
        List<AuditTrail.Entry> files = new java.util.ArrayList<>();
        for (Path root : List.of(Path.of(routesDir), Path.of(mappingsDir), Path.of("config"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    if (root.endsWith("config") && !file.getFileName().toString().equals("application.properties")) {
                        continue;
                    }
                    files.add(AuditTrail.Entry.of(instance, "config-loaded", file.toString().replace('\\', '/'),
                            AuditTrail.OK, null, null, "sha256:" + sha256(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        audit.recordAll(files);
        LOG.infof("configuration loaded: %d files, recorded in the audit trail", files.size());
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
