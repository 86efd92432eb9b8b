package io.weft.spoke.mqtt;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;

import java.util.Map;

/**
 * Camel component {@code weft-mqtt5}: camel-paho-mqtt5's endpoint and options (brokerUrl, clientId, qos,
 * cleanStart, sessionExpiryInterval, ...), with a consumer of Weft's own, {@link SessionMqttConsumer}, that
 * never blocks Paho's callback thread (see there for why camel-paho-mqtt5's consumer is not used). Options are
 * bound by camel-paho-mqtt5's generated configurer, so they are exactly those of {@code paho-mqtt5}.
 */
public class SessionMqttComponent extends PahoMqtt5Component {
    public static final String SCHEME = "weft-mqtt5";

    private volatile PropertyConfigurer endpointConfigurer;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PahoMqtt5Configuration configuration = getConfiguration().copy();
        SessionMqttEndpoint endpoint = new SessionMqttEndpoint(uri, remaining, this, configuration);
        // Weft's own option, not camel-paho-mqtt5's: how many messages one exchange may hold (1: one per exchange).
        endpoint.setMaxBatch(getAndRemoveParameter(parameters, "maxBatch", Integer.class, 1));
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        if (endpointConfigurer == null) {
            endpointConfigurer = PluginHelper.getConfigurerResolver(getCamelContext())
                    .resolvePropertyConfigurer("paho-mqtt5-endpoint-configurer", getCamelContext());
        }
        return endpointConfigurer;
    }
}
