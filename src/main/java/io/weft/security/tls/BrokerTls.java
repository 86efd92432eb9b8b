package io.weft.security.tls;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS to an MQTT broker: for each system whose {@code weft.systems.<system>.broker-url} is {@code ssl://} and that
 * has {@code weft.systems.<system>.tls.*} (the broker's CA, perhaps a client certificate), a bean
 * {@code weftMqttTls-<system>} (an SSLSocketFactory) and {@code weft.systems.<system>.socket-factory} naming it,
 * which the system's route hands the weft-mqtt5-source Kamelet (any other broker gets the JVM's plain or TLS default
 * under the same name). Paho checks the broker's certificate against that
 * trust and its host name; a broker it does not trust is never connected to (the system shows DOWN).
 */
@ApplicationScoped
public class BrokerTls {
    private static final Logger LOG = Logger.getLogger(BrokerTls.class);
    public static final String BEAN_PREFIX = "weftMqttTls-";

    void register(@Observes BeforeConfigure event) {
        Config config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith("weft.systems.") || !name.endsWith(".broker-url")) {
                continue;
            }
            String system = name.substring("weft.systems.".length(), name.length() - ".broker-url".length());
            String url = config.getOptionalValue(name, String.class).orElse("");
            if (config.getOptionalValue("weft.systems." + system + ".socket-factory", String.class).isPresent()) {
                continue;
            }
            TlsMaterial material = TlsMaterial.load(config, system);
            SocketFactory factory;
            if (url.startsWith("ssl://") && material.configured()) {
                factory = material.sslContext().getSocketFactory();
                LOG.infof("MQTT broker of %s: TLS with its own trust%s", system,
                        material.keyStore() != null ? " and a client certificate" : "");
            } else {
                // Every broker gets a factory, so the route never hands the Kamelet an empty socketFactory (an
                // empty value left the broker URL of the endpoint it builds percent-encoded: "missing scheme").
                factory = url.startsWith("ssl://") ? SSLSocketFactory.getDefault() : SocketFactory.getDefault();
            }
            event.getCamelContext().getRegistry().bind(BEAN_PREFIX + system, SocketFactory.class, factory);
            event.getCamelContext().getPropertiesComponent().addInitialProperty(
                    "weft.systems." + system + ".socket-factory", "#" + BEAN_PREFIX + system);
        }
    }
}
