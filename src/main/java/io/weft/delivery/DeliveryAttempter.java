package io.weft.delivery;

import io.weft.mapping.MappingException;
import io.weft.observe.Tracing;
import io.weft.systems.KnownSystems;
import io.weft.systems.RouteCalls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.DefaultExchange;

import java.time.Instant;

/**
 * Runs one delivery through its destination's outbound route ({@code direct:<system>-out}) and classifies
 * the outcome by what failed ({@link OutcomeClass}, {@link FailureClassifier}).
 */
@ApplicationScoped
public class DeliveryAttempter {
    /** Exchange properties an outbound route can read; they are not sent as HTTP headers. */
    public static final String MESSAGE_ID = "weftMessageId";
    public static final String TYPE = "weftType";
    public static final String DESTINATION = "weftDestination";
    public static final String SUBJECT = "weftSubject";

    private static final int EXCERPT = 1000;

    @Inject
    CamelContext camel;
    @Inject
    KnownSystems systems;
    @Inject
    RouteCalls routes;

    /** What happened, before it is turned into the delivery's next state. */
    public record Outcome(Instant startedAt, long durationMs, OutcomeClass outcomeClass, Integer httpStatus,
                          String errorClass, String errorMessage, String responseExcerpt) {
        public boolean success() {
            return outcomeClass == OutcomeClass.DELIVERED;
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
            return new Outcome(started, durationMs, OutcomeClass.DELIVERED, status, null, null,
                    excerpt(done.getMessage().getBody(String.class)));
        }
        OutcomeClass outcomeClass = FailureClassifier.classify(failure);
        HttpOperationFailedException http = FailureClassifier.find(failure, HttpOperationFailedException.class);
        if (outcomeClass != OutcomeClass.UNTRANSLATABLE && http != null) {
            int status = http.getStatusCode();
            return new Outcome(started, durationMs, outcomeClass, status, http.getClass().getName(),
                    "HTTP " + status + " " + http.getStatusText() + " from " + http.getUri(),
                    excerpt(http.getResponseBody()));
        }
        // The diagnostics name what failed: the mapping's own exception, else the innermost cause (the
        // database's "Data too long for column", the socket's "Connection refused").
        MappingException mapping = FailureClassifier.find(failure, MappingException.class);
        Throwable root = mapping != null ? mapping : FailureClassifier.rootCause(failure);
        String tls = mapping == null ? TlsFailures.describe(failure) : null;
        if (tls != null) {
            return new Outcome(started, durationMs, outcomeClass, null, root.getClass().getName(), tls, null);
        }
        return new Outcome(started, durationMs, outcomeClass, null, root.getClass().getName(),
                String.valueOf(root.getMessage()), null);
    }

    private static String excerpt(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        return body.length() <= EXCERPT ? body : body.substring(0, EXCERPT) + "...";
    }
}
