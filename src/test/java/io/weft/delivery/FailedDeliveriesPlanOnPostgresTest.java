package io.weft.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.store.Store;
import io.weft.testing.TestStores;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal-at-scale case of the failed deliveries (bench/journal-scale.sh): the DEAD ones are old and the newest
 * deliveries all DELIVERED. The DEAD list and the failures page must start from the failed deliveries' index (V18),
 * not walk the primary key backwards past every delivered row. The rows exist only inside the transaction that
 * explains the plans, which is rolled back: the other tests on this database never see them.
 */
@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class FailedDeliveriesPlanOnPostgresTest {
    @Inject
    Store store;

    @Test
    void theDeadListAndTheFailuresPageReadTheFailedDeliveriesIndexNotThePrimaryKey() {
        List<String> plans = store.read(c -> {
            c.setAutoCommit(false);
            try {
                oldDeadThenManyDelivered(c);
                List<String> explained = new ArrayList<>();
                explained.add(explain(c, OutboxReads.byStatusSql("DEAD", null, 50), List.of("DEAD")));
                explained.add(explain(c, OutboxReads.byStatusSql("RETRYING", "mes", 50), List.of("RETRYING", "mes")));
                List<Object> args = new ArrayList<>();
                String failuresPage = DeadDeliveries.findSql(
                        new DeadDeliveries.Filter(null, null, null, null, null, null, null), args);
                explained.add(explain(c, failuresPage, args));
                return explained;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
        for (String plan : plans) {
            assertTrue(plan.contains("ix_delivery_failed"), plan);
            assertFalse(plan.contains("delivery_pkey"), "no walk along the primary key:\n" + plan);
            assertFalse(plan.contains("Seq Scan on delivery "), plan);
        }
    }

    /**
     * 3,000 old DEAD and 20 RETRYING deliveries, then 60,000 delivered ones, with the planner's statistics: one in
     * twenty is DEAD, so a walk back along the primary key looks cheap to the planner, and is the slowest plan.
     */
    private static void oldDeadThenManyDelivered(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO message (id, source_system, source_message_id, type, subject, received_at, envelope) "
                    + "SELECT 'failed-plan-' || g, 'erp', 'failed-plan-' || g, 'ProductionOrder', 'FP-' || g, "
                    + "now() - (63100 - g) * interval '1 second', '{}' FROM generate_series(1, 63020) g");
            s.execute("INSERT INTO delivery (message_id, destination, status, attempts, next_attempt_at, created_at, "
                    + "delivered_at) SELECT 'failed-plan-' || g, 'mes', CASE WHEN g <= 3000 THEN 'DEAD' "
                    + "WHEN g <= 3020 THEN 'RETRYING' ELSE 'DELIVERED' END, 1, now(), now(), now() "
                    + "FROM generate_series(1, 63020) g ORDER BY g");
            s.execute("ANALYZE message");
            s.execute("ANALYZE delivery");
        }
    }

    private static String explain(Connection c, String sql, List<?> args) throws SQLException {
        StringBuilder plan = new StringBuilder(sql).append('\n');
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
