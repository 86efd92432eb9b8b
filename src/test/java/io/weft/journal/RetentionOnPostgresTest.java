package io.weft.journal;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(RetentionOnPostgresTest.Profile.class)
class RetentionOnPostgresTest extends RetentionContract {
    public static class Profile extends TestStores.Postgres {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = super.getConfigOverrides();
            config.putAll(retention());
            return config;
        }
    }

    /**
     * With 30 000 delivered messages in the journal and a handful DEAD, PostgreSQL's plan for a status search
     * starts from a status index of the deliveries and reads no table in full.
     */
    @Test
    void aStatusSearchIsServedByTheDeliveryStatusIndexNotAScan() {
        store.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO message (id, source_system, source_message_id, type, subject, received_at, envelope) "
                        + "SELECT 'plan-' || g, 'erp', 'plan-' || g, 'ProductionOrder', 'PLAN-' || g, "
                        + "now() - g * interval '1 second', '{}' FROM generate_series(1, 30000) g");
                s.execute("INSERT INTO delivery (message_id, destination, status, attempts, created_at, delivered_at) "
                        + "SELECT 'plan-' || g, 'mes', CASE WHEN g % 6000 = 0 THEN 'DEAD' ELSE 'DELIVERED' END, 1, "
                        + "now(), now() FROM generate_series(1, 30000) g");
                s.execute("ANALYZE message");
                s.execute("ANALYZE delivery");
            }
            return null;
        });
        for (String status : List.of("DEAD", "RETRYING", "PENDING")) {
            List<Object> args = new ArrayList<>();
            String sql = JournalQueries.searchSql(new JournalQueries.Search(null, null, null, null, status, null, null, null, 50), args);
            String plan = explain(sql);
            // Either status index: the unfinished deliveries' (V17, partial) answers the same probes from fewer rows.
            assertTrue(plan.contains("ix_delivery_status_message") || plan.contains("ix_delivery_unfinished"),
                    status + ":\n" + plan);
            assertFalse(plan.contains("Seq Scan"), status + ":\n" + plan);
        }
    }

    private String explain(String sql) {
        return store.read(c -> {
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        });
    }
}
