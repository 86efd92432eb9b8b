package io.weft.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Weft's one relational store. Both datasources are built into the artifact; configuration activates one
 * (H2 by default, PostgreSQL with the {@code pg} profile), so the same build runs embedded or shared.
 */
@ApplicationScoped
public class Store {

    public enum Dialect { H2, POSTGRESQL }

    /**
     * When the embedded store's commits reach the disk. H2 (MVStore) on its own writes committed changes from a
     * background thread up to its write delay (500 ms) after the commit, so a kill -9 loses what was acknowledged
     * in that time ({@link #LAZY}, kept for bench/embedded-store.sh to measure against). Measured there and
     * described in the README ("Storage").
     */
    public enum H2Commit {
        /** Every commit written to the file at once; a commit that acknowledges a source also synced (default). */
        SYNC,
        /** A commit that acknowledges a source written and synced at once; the others by H2's background writer. */
        SYNC_ACKS,
        /** Every commit written to the file at once, none synced. */
        WRITE,
        /** H2's own: written by its background writer. */
        LAZY
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @Inject
    @DataSource("pg")
    InjectableInstance<AgroalDataSource> postgres;

    @Inject
    @DataSource("h2")
    InjectableInstance<AgroalDataSource> h2;

    @ConfigProperty(name = "weft.store.h2.commit", defaultValue = "sync")
    H2Commit h2Commit;

    private AgroalDataSource dataSource;
    private Dialect dialect;

    @PostConstruct
    void choose() {
        boolean pgActive = postgres.getHandle().getBean().isActive();
        dataSource = pgActive ? postgres.get() : h2.get();
        dialect = pgActive ? Dialect.POSTGRESQL : Dialect.H2;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Several Weft instances may share this store (PostgreSQL); the embedded one is single-instance. */
    public boolean isShared() {
        return dialect == Dialect.POSTGRESQL;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. On PostgreSQL
     * the commit is on stable storage when this returns; on H2 it is written to the file (survives a kill -9 of
     * Weft, not necessarily a power cut) with {@code weft.store.h2.commit} {@code sync} or {@code write}.
     */
    public <T> T inTransaction(Work<T> work) {
        return transaction(work, false);
    }

    /**
     * As {@link #inTransaction}, for what acknowledges a source (a 202, an MQTT ack, a file moved, a row marked):
     * the commit is on stable storage when this returns, so a power cut cannot lose it either. PostgreSQL does
     * this at every commit (synchronous_commit, which Weft's sessions ask for); H2 syncs its file once per call
     * (one per group commit of publications, not one per message).
     */
    public <T> T inDurableTransaction(Work<T> work) {
        return transaction(work, true);
    }

    private <T> T transaction(Work<T> work, boolean durable) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
            // Committed but possibly only in H2's memory: a failure here fails the caller, so nothing is
            // acknowledged that is not on disk (a retried message is then recognised by its source id).
            afterCommit(connection, durable);
            return result;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** H2 only: CHECKPOINT stores every committed change now; CHECKPOINT SYNC also forces the file to the device. */
    private void afterCommit(Connection connection, boolean durable) throws SQLException {
        if (dialect != Dialect.H2) {
            return;
        }
        String checkpoint = switch (h2Commit) {
            case SYNC -> durable ? "CHECKPOINT SYNC" : "CHECKPOINT";
            case SYNC_ACKS -> durable ? "CHECKPOINT SYNC" : null;
            case WRITE -> "CHECKPOINT";
            case LAZY -> null;
        };
        if (checkpoint != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(checkpoint);
            }
        }
    }

    /**
     * Runs a read with auto-commit. Writes belong in {@link #inTransaction}: on H2 only those are written to the
     * file at commit.
     */
    public <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
