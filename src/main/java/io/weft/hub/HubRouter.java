package io.weft.hub;

import io.weft.envelope.Envelope;
import io.weft.systems.RouteCalls;
import io.weft.systems.RoutingException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Asks the central content-based router ({@code routes/hub.camel.yaml}, route {@code hub-router}) which
 * systems receive a canonical message. The route sees headers {@code type}, {@code source} and {@code subject};
 * each top-level field of the payload whose value is a string, number or boolean as an exchange variable of the
 * same name (so {@code ${variable.plant}} reads the payload's plant); and the whole envelope as a map body for
 * anything deeper ({@code ${body[data][lines]}}). It answers by setting the exchange property
 * {@code destinations} to a comma-separated list of system names.
 *
 * <p>Variables, not {@code ${body[data][plant]}}, for the common case: Camel evaluates that map path by
 * introspecting the body's class anew for every new body instance (its bean-info cache is keyed by instance),
 * which cost a fifth of the inbound path's CPU. The router is called once per message, through
 * {@link RouteCalls}.
 */
@ApplicationScoped
public class HubRouter {
    public static final String ENDPOINT = "direct:hub-router";
    public static final String DESTINATIONS = "destinations";

    @Inject
    CamelContext camel;
    @Inject
    RouteCalls routes;

    @SuppressWarnings("unchecked")
    public List<String> destinationsFor(Envelope envelope, Map<String, Object> envelopeAsMap) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(envelopeAsMap);
        exchange.getMessage().setHeader("type", envelope.type());
        exchange.getMessage().setHeader("source", envelope.sourceSystem());
        exchange.getMessage().setHeader("subject", envelope.subject());
        if (envelopeAsMap.get("data") instanceof Map<?, ?> data) {
            data.forEach((field, value) -> {
                if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    exchange.setVariable(field.toString(), value);
                }
            });
        }
        routes.call(ENDPOINT, exchange);
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
}
