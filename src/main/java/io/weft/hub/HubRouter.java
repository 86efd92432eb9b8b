package io.weft.hub;

import io.weft.envelope.Envelope;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Asks the central content-based router ({@code routes/hub.camel.yaml}, route {@code hub-router}) which
 * systems receive a canonical message. The route sees the envelope as a map (so {@code ${body[data][plant]}}
 * reads the payload) with headers {@code type}, {@code source} and {@code subject}, and answers by setting
 * the exchange property {@code destinations} to a comma-separated list of system names.
 *
 * <p>The router is called once per published message, so it is called through one long-lived producer of
 * its {@code direct:} endpoint rather than a producer template: no endpoint lookup by URI, no producer
 * cache and no exchange-sent events per call (the route itself, its metrics and its error handling run
 * as before).
 */
@ApplicationScoped
public class HubRouter {
    public static final String ENDPOINT = "direct:hub-router";
    public static final String DESTINATIONS = "destinations";

    @Inject
    CamelContext camel;

    private volatile Producer producer;

    @SuppressWarnings("unchecked")
    public List<String> destinationsFor(Envelope envelope, Map<String, Object> envelopeAsMap) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(envelopeAsMap);
        exchange.getMessage().setHeader("type", envelope.type());
        exchange.getMessage().setHeader("source", envelope.sourceSystem());
        exchange.getMessage().setHeader("subject", envelope.subject());
        try {
            producer().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            throw new RoutingException("the router failed for " + envelope.type() + ": "
                    + exchange.getException().getMessage(), exchange.getException());
        }
        Object answer = exchange.getProperty(DESTINATIONS);
        if (answer == null) {
            return List.of();
        }
        Iterable<Object> names = answer instanceof Iterable<?> it ? (Iterable<Object>) it
                : Arrays.asList((Object[]) answer.toString().split(","));
        LinkedHashSet<String> destinations = new LinkedHashSet<>();
        for (Object name : names) {
            String trimmed = name.toString().trim();
            if (!trimmed.isEmpty()) {
                destinations.add(trimmed);
            }
        }
        return List.copyOf(destinations);
    }

    private Producer producer() throws Exception {
        Producer p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    p = camel.getEndpoint(ENDPOINT).createProducer();
                    ServiceHelper.startService(p);
                    producer = p;
                }
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        ServiceHelper.stopService(producer);
    }

    public static class RoutingException extends RuntimeException {
        public RoutingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
