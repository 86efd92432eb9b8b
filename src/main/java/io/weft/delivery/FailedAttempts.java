package io.weft.delivery;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The most recent failed attempts of deliveries to one destination, for the per-system page. */
@ApplicationScoped
public class FailedAttempts {

    public record Failed(Instant at, String messageId, int attempt, String outcomeClass, Integer httpStatus,
                         String error, String status) {
    }

    @Inject
    Store store;

    public List<Failed> recent(String destination, int limit) {
        return store.read(c -> {
            List<Failed> failed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.started_at, d.message_id, a.attempt, "
                    + "a.outcome_class, a.http_status, a.error_message, d.status FROM delivery_attempt a "
                    + "JOIN delivery d ON d.id = a.delivery_id WHERE d.destination = ? AND a.outcome = 'FAILURE' "
                    + "ORDER BY a.started_at DESC, a.id DESC LIMIT ?")) {
                ps.setString(1, destination);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int status = rs.getInt(5);
                        Integer http = rs.wasNull() ? null : status;
                        failed.add(new Failed(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getInt(3),
                                rs.getString(4), http, rs.getString(6), rs.getString(7)));
                    }
                }
            }
            return failed;
        });
    }
}
