package io.weft.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates a test makes with the JDK's keytool and openssl, in {@code target/test-tls}: the server's
 * certificate and key as PEM files (what a plant mounts from a Secret), client certificates named after systems
 * (PKCS12) and a trust store of the client certificates Weft trusts. Fixed folder, so the test profile (which
 * makes them and configures Weft) and the test (which connects) find the same files in any class loader.
 */
public final class TestCertificates {
    public static final Path DIR = WeftProcess.projectDir().resolve("target/test-tls");
    public static final String PASSWORD = "test-store-pw";

    private TestCertificates() {
    }

    /** Makes the server certificate, a client certificate per name (trusted ones listed in {@code trusted}). */
    public static synchronized void make(List<String> trusted, List<String> untrusted) {
        try {
            if (Files.exists(DIR)) {
                try (var files = Files.list(DIR)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
            }
            Files.createDirectories(DIR);
            run("keytool", "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", "server.p12", "-storepass", PASSWORD);
            run("openssl", "pkcs12", "-in", "server.p12", "-passin", "pass:" + PASSWORD, "-nokeys", "-out", "server.crt");
            run("openssl", "pkcs12", "-in", "server.p12", "-passin", "pass:" + PASSWORD, "-nocerts", "-nodes",
                    "-out", "server.key");
            List<String> all = new ArrayList<>(trusted);
            all.addAll(untrusted);
            for (String name : all) {
                run("keytool", "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=" + name + ", O=Plant P1", "-storetype", "PKCS12", "-keystore", name + ".p12",
                        "-storepass", PASSWORD);
            }
            for (String name : trusted) {
                run("keytool", "-exportcert", "-alias", name, "-keystore", name + ".p12", "-storepass", PASSWORD,
                        "-file", name + ".crt");
                run("keytool", "-importcert", "-noprompt", "-alias", name, "-file", name + ".crt", "-storetype", "PKCS12",
                        "-keystore", "clients-trust.p12", "-storepass", PASSWORD);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client's TLS context: its own certificate (or none) and trust in the server's. */
    public static SSLContext client(String name) {
        try {
            KeyStore serverTrust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(DIR.resolve("server.p12"))) {
                serverTrust.load(in, PASSWORD.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(serverTrust);
            KeyManagerFactory keys = null;
            if (name != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(DIR.resolve(name + ".p12"))) {
                    own.load(in, PASSWORD.toCharArray());
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
