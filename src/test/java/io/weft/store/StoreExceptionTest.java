package io.weft.store;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A store error's message (logged, and answered in a 503 or 422) never quotes the data of the statement. */
class StoreExceptionTest {
    private static final String PAYLOAD = "{\"material\": \"MAT-4711\"}";

    @Test
    void aFailedBatchIsDescribedByItsReasonNotByItsStatementWithTheValues() {
        // As PostgreSQL's driver reports a batch that failed when the server went away.
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO message (id, envelope) VALUES "
                + "(('01a2'), ('" + PAYLOAD + "')) was aborted: An I/O error occurred while sending to the backend.",
                "08006", new int[0]);
        batch.setNextException(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        StoreException e = new StoreException(batch);
        assertEquals("store: An I/O error occurred while sending to the backend.", e.getMessage());
    }

    @Test
    void aBatchWithoutItsReasonSaysOnlyThatItFailed() {
        StoreException e = new StoreException(new BatchUpdateException("Batch entry 0 INSERT INTO message VALUES (('"
                + PAYLOAD + "'))", "57P01", new int[0]));
        assertEquals("store: a batched statement failed (SQLState 57P01)", e.getMessage());
    }

    @Test
    void aServerMessageKeepsItsFirstLineNotTheFailingRow() {
        StoreException e = new StoreException(new SQLException("ERROR: null value in column \"type\" violates not-null "
                + "constraint\n  Detail: Failing row contains (01a2, " + PAYLOAD + ").", "23502"));
        assertFalse(e.getMessage().contains("MAT-4711"), e.getMessage());
        assertEquals("store: ERROR: null value in column \"type\" violates not-null constraint", e.getMessage());
    }
}
