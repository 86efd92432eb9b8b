package io.weft.security.outbound;

import io.weft.security.tls.TlsMaterial;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeSet;

/**
 * A destination's TLS (outbound mTLS): the client certificate Weft presents and the CA it trusts, from
 * {@code weft.systems.<system>.tls.*} ({@link TlsMaterial}). Before Camel builds its endpoints, each system with
 * TLS settings and an https URL gets a bean {@code weftTls-<system>} and the Camel property
 * {@code weft.tls-options.<system>}, which the weft-rest-sink Kamelet appends to its HTTP endpoint
 * ({@code sslContextParameters=#weftTls-<system>}); a system without gets the JVM's defaults (its trusted CAs,
 * no client certificate). Camel's HTTP component verifies the server's certificate against that trust and its
 * host name; a key store that cannot be read fails the start.
 */
@ApplicationScoped
@Named("destinationTls")
public class DestinationTls {
    private static final Logger LOG = Logger.getLogger(DestinationTls.class);
    public static final String BEAN_PREFIX = "weftTls-";
    public static final String OPTIONS_PREFIX = "weft.tls-options.";

    private final Map<String, SSLContextParameters> byDestination = new ConcurrentHashMap<>();
    private volatile CamelContext camel;

    void register(@Observes BeforeConfigure event) {
        camel = event.getCamelContext();
        Config config = ConfigProvider.getConfig();
        for (String system : systems(config)) {
            TlsMaterial material = TlsMaterial.load(config, system);
            String url = config.getOptionalValue("weft.systems." + system + ".url", String.class).orElse("");
            if (!material.configured()) {
                continue;
            }
            if (!url.regionMatches(true, 0, "https:", 0, 6)) {
                // Camel's HTTP endpoint given TLS settings would speak TLS to an http:// URL: leave it plain.
                LOG.warnf("weft.systems.%s.tls.* is set, but weft.systems.%s.url is not https: the settings are unused",
                        system, system);
                continue;
            }
            SSLContextParameters parameters = parameters(material);
            byDestination.put(system, parameters);
            camel.getRegistry().bind(BEAN_PREFIX + system, SSLContextParameters.class, parameters);
            // Read by the weft-rest-sink Kamelet as {{?weft.tls-options.<destination>}}: absent for the others.
            camel.getPropertiesComponent().addInitialProperty(OPTIONS_PREFIX + system,
                    "&sslContextParameters=#" + BEAN_PREFIX + system);
        }
    }

    /**
     * In the Kamelet's catch, for a connection lost or a TLS failure: with TLS 1.3 a destination refusing Weft's
     * client certificate says so after the client's side of the handshake is done, and the client often sees only
     * its request's "Broken pipe". A fresh handshake that waits for the destination's first word
     * ({@link TlsProbe}) tells a refusal (parked) from a network fault (retried, the original failure).
     */
    public void diagnose(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String destination = exchange.getProperty(io.weft.delivery.DeliveryAttempter.DESTINATION, String.class);
        String url = exchange.getProperty("weftDestinationUrl", String.class);
        if (caught instanceof ConnectException || caught instanceof java.net.UnknownHostException || destination == null || url == null
                || !url.regionMatches(true, 0, "https:", 0, 6)) {
            throw caught;
        }
        SSLContextParameters parameters = byDestination.get(destination);
        Optional<SSLException> probed = TlsProbe.refusal(URI.create(url),
                parameters == null ? javax.net.ssl.SSLContext.getDefault() : parameters.createSSLContext(camel),
                parameters != null && parameters.getKeyManagers() != null);
        if (probed.isEmpty()) {
            throw caught;
        }
        // The probe's own failure, as a handshake failure, so that the delivery's diagnostics name it.
        SSLHandshakeException refusal = new SSLHandshakeException(String.valueOf(probed.get().getMessage()));
        refusal.initCause(probed.get());
        refusal.addSuppressed(caught);
        throw refusal;
    }

    static SSLContextParameters parameters(TlsMaterial material) {
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setSecureSocketProtocol("TLS"); // TLS 1.2 and 1.3, as the JVM offers them
        if (material.keyStore() != null) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setKeyStore(material.keyStore());
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(store);
            keys.setKeyPassword(new String(material.keyPassword()));
            parameters.setKeyManagers(keys);
        }
        if (material.trustStore() != null) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setKeyStore(material.trustStore());
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            parameters.setTrustManagers(trust);
        }
        if (material.configured()) {
            LOG.infof("destination %s: TLS with %s, trusting %s", material.system(),
                    material.keyStore() != null ? "a client certificate" : "no client certificate",
                    material.trustStore() != null ? "its own trust store" : "the JVM's CAs");
        }
        return parameters;
    }

    /** Every {@code <system>} of a {@code weft.systems.<system>.*} key. */
    static Set<String> systems(Config config) {
        Set<String> systems = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("weft.systems.")) {
                int end = name.indexOf('.', "weft.systems.".length());
                if (end > "weft.systems.".length()) {
                    systems.add(name.substring("weft.systems.".length(), end));
                }
            }
        }
        return systems;
    }
}
