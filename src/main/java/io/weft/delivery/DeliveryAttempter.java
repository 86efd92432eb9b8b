package io.weft.delivery;

import io.weft.hub.KnownSystems;
import io.weft.hub.RouteCalls;
import io.weft.mapping.MappingException;
import io.weft.observe.Tracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.DefaultExchange;

import java.time.Instant;
import java.util.Set;

/**
 * Runs one delivery through its destination's outbound route ({@code direct:<system>-out}) and classifies
 * the outcome: delivered, worth retrying (connection trouble, 5xx, 408, 425, 429) or permanently refused
 * (any other 4xx, a mapping that cannot translate the message), which is parked at once.
 */
@ApplicationScoped
public class DeliveryAttempter {
    /** Exchange properties an outbound route can read; they are not sent as HTTP headers. */
    public static final String MESSAGE_ID = "weftMessageId";
    public static final String TYPE = "weftType";
    public static final String DESTINATION = "weftDestination";
    public static final String SUBJECT = "weftSubject";

    private static final Set<Integer> RETRYABLE_4XX = Set.of(408, 425, 429);
    private static final int EXCERPT = 1000;

    @Inject
    CamelContext camel;
    @Inject
    KnownSystems systems;
    @Inject
    RouteCalls routes;

    /** What happened, before it is turned into the delivery's next state. */
    public record Outcome(Instant startedAt, long durationMs, boolean success, boolean retryable,
                          boolean destinationUnreachable, Integer httpStatus, String errorClass, String errorMessage,
                          String responseExcerpt) {
        /** Refused because the message could not be translated, not because of the destination. */
        public boolean mappingFailed() {
            return !success && !retryable && httpStatus == null;
        }
    }

    public Outcome attempt(Outbox.Claimed delivery, String type, String subject) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(MESSAGE_ID, delivery.messageId());
        exchange.setProperty(TYPE, type);
        exchange.setProperty(DESTINATION, delivery.destination());
        exchange.setProperty(SUBJECT, subject);
        exchange.getMessage().setHeader("Idempotency-Key", delivery.messageId());
        String traceparent = Tracing.currentTraceparent();
        if (traceparent != null) {
            exchange.getMessage().setHeader("traceparent", traceparent);
        }
        exchange.getMessage().setBody(delivery.envelopeJson());
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Exchange done = routes.call(systems.outboundEndpoint(delivery.destination()), exchange);
        long durationMs = (System.nanoTime() - t0) / 1_000_000;
        Throwable failure = done.getException();
        if (failure == null) {
            Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            return new Outcome(started, durationMs, true, false, false, status, null, null,
                    excerpt(done.getMessage().getBody(String.class)));
        }
        HttpOperationFailedException http = find(failure, HttpOperationFailedException.class);
        if (http != null) {
            int status = http.getStatusCode();
            boolean retryable = status >= 500 || RETRYABLE_4XX.contains(status);
            return new Outcome(started, durationMs, false, retryable, false, status, http.getClass().getName(),
                    "HTTP " + status + " " + http.getStatusText() + " from " + http.getUri(),
                    excerpt(http.getResponseBody()));
        }
        MappingException mapping = find(failure, MappingException.class);
        Throwable root = mapping != null ? mapping : rootCause(failure);
        return new Outcome(started, durationMs, false, mapping == null, mapping == null, null,
                root.getClass().getName(), String.valueOf(root.getMessage()), null);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String excerpt(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        return body.length() <= EXCERPT ? body : body.substring(0, EXCERPT) + "...";
    }
}
