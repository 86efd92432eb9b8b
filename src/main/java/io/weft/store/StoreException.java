package io.weft.store;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** The store could not do what was asked (unreachable, or a statement failed). */
public class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("store: " + describe(cause), cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /**
     * What went wrong, without the statement's data, since this message is logged and answered: a batch's message
     * quotes its SQL with the values bound (a message's payload among them), and a server message's detail lines
     * quote the failing row. The reason of a batch is its next exception; of any message, its first line.
     */
    static String describe(SQLException e) {
        SQLException reason = e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
        String message = String.valueOf(reason.getMessage());
        int newline = message.indexOf('\n');
        String first = (newline < 0 ? message : message.substring(0, newline)).trim();
        if (first.startsWith("Batch entry") || reason instanceof BatchUpdateException) {
            return "a batched statement failed (SQLState " + reason.getSQLState() + ")";
        }
        return first;
    }
}
