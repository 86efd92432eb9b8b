package io.weft.audit;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * H2's trigger on {@code operator_audit} (migration db/h2/V13): refuses every UPDATE and DELETE, so the audit
 * trail is append-only in the embedded store as on PostgreSQL, whatever code or console connects to it.
 */
public class AppendOnlyTrigger implements Trigger {
    private String table = "operator_audit";

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException(table + " is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " is refused",
                "42501");
    }
}
