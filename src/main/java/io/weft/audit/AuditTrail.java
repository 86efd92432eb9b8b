package io.weft.audit;

import io.weft.store.Store;
import io.weft.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only audit trail (table {@code operator_audit}): operator actions with the authenticated actor,
 * refused authentications, the configuration loaded at start. This class only inserts and reads: there is
 * no update or delete of audit rows anywhere in Weft. Texts are clipped to their columns; a caller never
 * passes a presented secret (a key, a password, a token), only what it says about it.
 */
@ApplicationScoped
public class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    public static final String OK = "ok";
    public static final String REFUSED = "refused";

    /** One audit row. {@code remote} (the caller's address) and {@code endpoint} are null where they mean nothing. */
    public record Entry(Long id, Instant at, String actor, String action, String target, String outcome,
                        String remote, String endpoint, String detail) {
        public static Entry of(String actor, String action, String target, String outcome, String remote,
                               String endpoint, String detail) {
            return new Entry(null, Instant.now(), actor, action, target, outcome, remote, endpoint, detail);
        }
    }

    /** What GET /api/audit filters by; null means any. */
    public record Filter(String actor, String action, String outcome, Instant since, Instant until, int limit) {
    }

    @Inject
    Store store;

    public void record(Entry entry) {
        recordAll(List.of(entry));
    }

    /** Several rows in one transaction (the files loaded at start). */
    public void recordAll(List<Entry> entries) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO operator_audit "
                    + "(at, actor, action, target, outcome, remote, endpoint, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Entry entry : entries) {
                    ps.setTimestamp(1, Timestamp.from(entry.at()));
                    ps.setString(2, clip(entry.actor(), 128));
                    ps.setString(3, clip(entry.action(), 64));
                    ps.setString(4, clip(entry.target(), 256));
                    ps.setString(5, entry.outcome());
                    ps.setString(6, clip(entry.remote(), 128));
                    ps.setString(7, clip(entry.endpoint(), 256));
                    ps.setString(8, clip(entry.detail(), 2000));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Records a refusal without letting a store failure change the answer: the caller is refused either way,
     * and a journal that is down must not turn a 401 into a 503.
     */
    public void recordRefusal(Entry entry) {
        try {
            record(entry);
        } catch (StoreException e) {
            LOG.warnf("audit trail unavailable, refusal not recorded: %s %s from %s", entry.action(),
                    entry.endpoint(), entry.remote());
        }
    }

    public List<Entry> find(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, target, outcome, remote, endpoint, detail "
                + "FROM operator_audit WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(filter.actor());
        }
        if (filter.action() != null) {
            sql.append(" AND action = ?");
            args.add(filter.action());
        }
        if (filter.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(filter.outcome());
        }
        if (filter.since() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(filter.until()));
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT ").append(filter.limit());
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                rs.getString(8), rs.getString(9)));
                    }
                }
                return entries;
            }
        });
    }

    private static String clip(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
