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
}
