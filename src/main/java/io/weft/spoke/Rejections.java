package io.weft.spoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.envelope.TimeOrderedIds;
import io.weft.hub.Hub;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;
import io.weft.observe.WeftMetrics;
import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inbound messages that a spoke with no caller to answer (a polled table, an MQTT subscription) cannot accept.
 * An HTTP source is told at once (4xx problem); these sources are not, so the message is recorded here with
 * its diagnostics and the input exactly as received, the spoke acknowledges it (the row is marked, the MQTT
 * message acknowledged) and goes on with the next one. Operators find them at {@code GET /api/rejections}.
 *
 * <p>Used from a route's {@code doCatch} as {@code - to: bean:rejections?method=record}: reads the caught
 * exception, headers {@link Hub#SOURCE_SYSTEM}, {@link Hub#TYPE}, {@link Hub#SOURCE_MESSAGE_ID} and the MQTT
 * topic, and the input kept in exchange property {@link #INPUT} (or else the current body).
 */
@ApplicationScoped
@Named("rejections")
public class Rejections {
    private static final Logger LOG = Logger.getLogger(Rejections.class);
    /** Exchange property holding the input as received, set by the spoke before it changes the body. */
    public static final String INPUT = "weftInput";
    private static final int MAX_INPUT_CHARS = 1_000_000;

    public record Rejection(String id, Instant rejectedAt, String source, String routeId, String type,
                            String sourceMessageId, String origin, String reason, String error,
                            Object diagnostics, String input) {
    }

    @Inject
    Store store;
    @Inject
    ObjectMapper json;
    @Inject
    WeftMetrics metrics;

    public String record(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        var in = exchange.getMessage();
        String system = String.valueOf(in.getHeader(Hub.SOURCE_SYSTEM, "unknown", String.class));
        String reason = reason(error);
        String id = TimeOrderedIds.next();
        String input = input(exchange);
        String origin = in.getHeader("CamelMqttTopic", String.class);
        String diagnostics = diagnostics(error);
        String message = error == null ? "rejected" : String.valueOf(error.getMessage());
        store.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO inbound_rejection (id, rejected_at, source_system, "
                    + "route_id, type, source_message_id, origin, reason, error_message, diagnostics, input) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setTimestamp(2, Timestamp.from(Instant.now()));
                s.setString(3, system);
                s.setString(4, exchange.getFromRouteId());
                s.setString(5, in.getHeader(Hub.TYPE, String.class));
                s.setString(6, in.getHeader(Hub.SOURCE_MESSAGE_ID, String.class));
                s.setString(7, origin);
                s.setString(8, reason);
                s.setString(9, message.length() > 4000 ? message.substring(0, 3997) + "..." : message);
                s.setString(10, diagnostics);
                s.setString(11, input);
                s.executeUpdate();
            }
            return null;
        });
        metrics.rejected(system, switch (reason) {
            case "mapping" -> WeftMetrics.Rejection.MAPPING;
            case "schema" -> WeftMetrics.Rejection.SCHEMA;
            case "malformed" -> WeftMetrics.Rejection.MALFORMED;
            default -> WeftMetrics.Rejection.OTHER;
        });
        if ("mapping".equals(reason)) {
            metrics.mappingFailure(system, "in");
        }
        // The id only: the reason and input are in the record, and payloads are never logged.
        LOG.warnf("%s: rejected an inbound message (%s), recorded as rejection %s", system, reason, id);
        in.setHeader("WeftRejectionId", id);
        return id;
    }

    public List<Rejection> search(String source, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, rejected_at, source_system, route_id, type, source_message_id, "
                + "origin, reason, error_message, diagnostics, input FROM inbound_rejection WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (source != null) {
            sql.append(" AND source_system = ?");
            args.add(source);
        }
        if (since != null) {
            sql.append(" AND rejected_at >= ?");
            args.add(Timestamp.from(since));
        }
        sql.append(" ORDER BY rejected_at DESC, id DESC LIMIT ").append(limit);
        return store.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                }
                List<Rejection> found = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(new Rejection(r.getString(1), r.getTimestamp(2).toInstant(), r.getString(3),
                                r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                                r.getString(9), parse(r.getString(10)), r.getString(11)));
                    }
                }
                return found;
            }
        });
    }

    private Object parse(String diagnostics) {
        if (diagnostics == null) {
            return null;
        }
        try {
            return json.readTree(diagnostics);
        } catch (java.io.IOException e) {
            return diagnostics;
        }
    }

    static String reason(Throwable error) {
        if (error instanceof MappingException) {
            return "mapping";
        }
        if (error instanceof SchemaViolationException) {
            return "schema";
        }
        if (error instanceof MalformedInputException) {
            return "malformed";
        }
        return "other";
    }

    private String diagnostics(Throwable error) {
        ObjectNode d = json.createObjectNode();
        if (error instanceof MappingException m) {
            d.put("mapping", m.mappingFile());
            if (m.expression() != null) {
                d.put("expression", m.expression());
            }
            ArrayNode paths = d.putArray("input");
            m.inputPaths().forEach(paths::add);
        } else if (error instanceof SchemaViolationException v) {
            d.put("type", v.type());
            ArrayNode violations = d.putArray("violations");
            for (SchemaViolationException.Violation violation : v.violations()) {
                violations.addObject().put("path", violation.path()).put("rule", violation.rule())
                        .put("message", violation.message());
            }
        } else if (error != null) {
            d.put("error", error.getClass().getName());
        }
        return d.toString();
    }

    private String input(Exchange exchange) {
        Object kept = exchange.getProperty(INPUT);
        Object body = kept != null ? kept : exchange.getMessage().getBody();
        String text;
        if (body instanceof byte[] bytes) {
            text = new String(bytes, StandardCharsets.UTF_8);
        } else if (body instanceof Map<?, ?> map) {
            try {
                text = json.writeValueAsString(map);
            } catch (java.io.IOException e) {
                text = String.valueOf(map);
            }
        } else {
            text = body == null ? null : exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
        }
        return text != null && text.length() > MAX_INPUT_CHARS ? text.substring(0, MAX_INPUT_CHARS) : text;
    }
}
