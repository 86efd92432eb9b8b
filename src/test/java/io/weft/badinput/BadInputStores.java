package io.weft.badinput;

import io.weft.testing.TestStores;

/**
 * The stores of {@link TestStores} as profiles of their own for the bad-input suites: hundreds of cases leave
 * accepted messages queued for the plant's destinations, and tests that share an application (and its
 * database) with them would find those deliveries ahead of their own.
 */
public final class BadInputStores {
    private BadInputStores() {
    }

    public static class Postgres extends TestStores.Postgres {
    }

    public static class H2 extends TestStores.H2 {
    }
}
