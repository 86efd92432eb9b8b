package io.weft.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Weft's one relational store. Both datasources are built into the artifact; configuration activates one
 * (H2 by default, PostgreSQL with the {@code pg} profile), so the same build runs embedded or shared.
 */
@ApplicationScoped
public class Store {

    public enum Dialect { H2, POSTGRESQL }

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

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs a read (or a single statement) with auto-commit. */
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
