package io.weft.systems;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.service.ServiceHelper;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls a route's {@code direct:} endpoint on the hot paths (inbound route per request, hub router per
 * message, outbound route per delivery) through one long-lived producer per endpoint instead of a producer
 * template: no endpoint lookup by URI, producer cache or exchange-sent events (and their tracing span) per
 * call. The route itself, its span, metrics and error handling run as before.
 */
@ApplicationScoped
public class RouteCalls {

    @Inject
    CamelContext camel;

    private final Map<String, Producer> producers = new ConcurrentHashMap<>();

    /** Runs the exchange through the endpoint; a failure ends up on the exchange, as with a template's send. */
    public Exchange call(String endpointUri, Exchange exchange) {
        try {
            producer(endpointUri).process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        return exchange;
    }

    public Exchange call(Endpoint endpoint, Exchange exchange) {
        return call(endpoint.getEndpointUri(), exchange);
    }

    private Producer producer(String endpointUri) {
        Producer producer = producers.get(endpointUri);
        if (producer != null) {
            return producer;
        }
        return producers.computeIfAbsent(endpointUri, uri -> {
            try {
                Producer created = camel.getEndpoint(uri).createProducer();
                ServiceHelper.startService(created);
                return created;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot call " + uri + ": " + e.getMessage(), e);
            }
        });
    }

    @PreDestroy
    void close() {
        producers.values().forEach(ServiceHelper::stopService);
        producers.clear();
    }
}
