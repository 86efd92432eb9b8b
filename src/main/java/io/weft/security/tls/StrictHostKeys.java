package io.weft.security.tls;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * SFTP host keys are checked: Camel's SFTP endpoint accepts any host key unless told
 * {@code strictHostKeyChecking=yes}, even with a known_hosts file. For each system with
 * {@code weft.systems.<system>.known-hosts-file}, {@code weft.systems.<system>.strict-host-key-checking} becomes
 * {@code yes} (unless set), which the system's route hands the folder Kamelets: a server presenting another key
 * is refused.
 */
@ApplicationScoped
public class StrictHostKeys {
    void register(@Observes BeforeConfigure event) {
        Config config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("weft.systems.") && name.endsWith(".known-hosts-file")
                    && config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isPresent()) {
                String strict = name.substring(0, name.length() - "known-hosts-file".length()) + "strict-host-key-checking";
                if (config.getOptionalValue(strict, String.class).isEmpty()) {
                    event.getCamelContext().getPropertiesComponent().addInitialProperty(strict, "yes");
                }
            }
        }
    }
}
