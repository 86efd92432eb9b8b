package io.weft.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.envelope.BadInput;
import io.weft.envelope.TimeOrderedIds;
import io.weft.envelope.WeftHeaders;
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
 * Inbound messages that a spoke with no caller to answer (a dropped file's row, a polled table, an MQTT
 * subscription) cannot accept. An HTTP source is told at once (4xx problem); these sources are not, so the
 * message is recorded here with its diagnostics and the input as received, the spoke acknowledges it (the row
 * is marked, the MQTT message acknowledged, the file moved) and goes on with the next one. Operators find them
 * at {@code GET /api/rejections}. Recording is idempotent per source system and source message id, so a source
 * read again after a restart does not list its rejections twice.
 *
 * <p>From a route's {@code doCatch}: {@code - to: bean:rejections?method=record}, which reads the caught
 * exception, headers {@link Hub#SOURCE_SYSTEM}, {@link Hub#TYPE}, {@link Hub#SOURCE_MESSAGE_ID} and the MQTT
 * topic, and the input kept in exchange property {@link #INPUT} (or else the current body). From Java:
 * {@link #record(Rejected)}.
 */
@ApplicationScoped
@Named("rejections")
public class Rejections {
    private static final Logger LOG = Logger.getLogger(Rejections.class);
    /** Exchange property holding the input as received, set by the spoke before it changes the body. */
    public static final String INPUT = "weftInput";
    private static final int MAX_INPUT_CHARS = 1_000_000;

    /** A refused message as a spoke reports it. {@code origin}: file, topic or table; {@code locator}: "line 7". */
    public record Rejected(String system, String routeId, String type, String origin, String locator,
                           String sourceMessageId, WeftMetrics.Rejection reason, String problem, Throwable cause,
                           String input) {
    }

    /** A recorded rejection as the operations API shows it. */
    public record Rejection(String id, Instant rejectedAt, String source, String routeId, String type,
                            String sourceMessageId, String origin, String locator, String reason, String problem,
                            Object diagnostics, String input) {
    }

    @Inject
    Store store;
    @Inject
    ObjectMapper json;
    @Inject
    WeftMetrics metrics;

    /** Records the failure a route caught; returns the rejection's id. */
    public String record(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        var in = exchange.getMessage();
        String id = record(new Rejected(String.valueOf(in.getHeader(WeftHeaders.SOURCE_SYSTEM, "unknown", String.class)),
                exchange.getFromRouteId(), in.getHeader(WeftHeaders.TYPE, String.class), in.getHeader("CamelMqttTopic", String.class),
                null, in.getHeader(WeftHeaders.SOURCE_MESSAGE_ID, String.class), reasonOf(error),
                error == null ? "rejected" : String.valueOf(error.getMessage()), error, input(exchange)));
        in.setHeader("WeftRejectionId", id);
        return id;
    }

    /** Records a rejection; returns its id, or null when this source message was recorded as rejected before. */
    public String record(Rejected r) {
        String id = TimeOrderedIds.next();
        boolean recorded = store.inDurableTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                bind(s, id, r);
                s.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return false; // recorded before (unique source system + source message id)
                }
                throw e;
            }
        });
        if (recorded) {
            recorded(r, id);
            return id;
        }
        return null;
    }

    /**
     * Records a batch's rejections. Those without a source message id (each is a rejection of its own) share one
     * transaction; one with an id may have been recorded before and is recorded on its own (see {@link #record}).
     */
    public void recordAll(List<Rejected> rejected) {
        List<Rejected> anonymous = rejected.stream().filter(r -> r.sourceMessageId() == null).toList();
        if (!anonymous.isEmpty()) {
            List<String> ids = anonymous.stream().map(r -> TimeOrderedIds.next()).toList();
            store.inDurableTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement(INSERT)) {
                    for (int i = 0; i < anonymous.size(); i++) {
                        bind(s, ids.get(i), anonymous.get(i));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                return null;
            });
            for (int i = 0; i < anonymous.size(); i++) {
                recorded(anonymous.get(i), ids.get(i));
            }
        }
        rejected.stream().filter(r -> r.sourceMessageId() != null).forEach(this::record);
    }

    private static final String INSERT = "INSERT INTO inbound_rejection (id, rejected_at, source_system, route_id, "
            + "type, source_message_id, origin, locator, reason, problem, diagnostics, input) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private void bind(PreparedStatement s, String id, Rejected r) throws SQLException {
        s.setString(1, id);
        s.setTimestamp(2, Timestamp.from(Instant.now()));
        s.setString(3, ColumnText.cut(r.system(), 64));
        s.setString(4, ColumnText.cut(r.routeId(), 128));
        s.setString(5, ColumnText.cut(r.type(), 64));
        s.setString(6, ColumnText.distinct(r.sourceMessageId(), 256));
        s.setString(7, ColumnText.cut(r.origin(), 512));
        s.setString(8, ColumnText.cut(r.locator(), 128));
        s.setString(9, r.reason().name().toLowerCase());
        s.setString(10, ColumnText.cut(r.problem(), 4000));
        s.setString(11, ColumnText.storable(RejectionDiagnostics.of(json, r.cause())));
        s.setString(12, ColumnText.cut(r.input(), MAX_INPUT_CHARS));
    }

    private void recorded(Rejected r, String id) {
        metrics.rejected(r.system(), r.reason());
        if (r.reason() == WeftMetrics.Rejection.MAPPING) {
            metrics.mappingFailure(r.system(), "in");
        }
        // The id only: the reason and input are in the record, and payloads are never logged.
        LOG.warnf("%s: rejected an inbound message (%s), recorded as rejection %s", r.system(),
                r.reason().name().toLowerCase(), id);
    }

    public List<Rejection> search(String source, String origin, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, rejected_at, source_system, route_id, type, source_message_id, "
                + "origin, locator, reason, problem, diagnostics, input FROM inbound_rejection WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (source != null) {
            sql.append(" AND source_system = ?");
            args.add(source);
        }
        if (origin != null) {
            sql.append(" AND origin = ?");
            args.add(origin);
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
                                r.getString(9), r.getString(10), parse(r.getString(11)), r.getString(12)));
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

    /** Why a failure refused a message: the kind of Weft exception, else OTHER. */
    public static WeftMetrics.Rejection reasonOf(Throwable error) {
        if (error instanceof MappingException) {
            return WeftMetrics.Rejection.MAPPING;
        }
        if (error instanceof SchemaViolationException) {
            return WeftMetrics.Rejection.SCHEMA;
        }
        if (error instanceof BadInput bad) {
            return bad.badInputKind() == BadInput.Kind.MALFORMED ? WeftMetrics.Rejection.MALFORMED
                    : WeftMetrics.Rejection.UNSTORABLE;
        }
        return WeftMetrics.Rejection.OTHER;
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
        return text;
    }
}
