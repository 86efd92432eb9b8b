package io.weft.store;

import java.sql.SQLException;

/** The store could not do what was asked (unreachable, or a statement failed). */
public class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("store: " + cause.getMessage(), cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /** SQLSTATE class 23: a constraint (here: the dedupe key) was violated. */
    public boolean isConstraintViolation() {
        return getCause() instanceof SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().startsWith("23");
    }
}
