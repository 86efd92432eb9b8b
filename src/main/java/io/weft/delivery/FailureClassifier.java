package io.weft.delivery;

import io.weft.mapping.MappingException;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Classifies a failed attempt by what failed, looking through the exception's whole cause chain (Camel, Spring
 * JDBC and the HTTP client each wrap the cause): plain Java, so it is tested without a destination.
 *
 * <p>Order matters: a mapping failure is Weft's, whatever it wraps; a data error is the database's verdict on the
 * data, even though it arrived over a working connection, and so is a destination Weft has no complete
 * configuration for (a credential missing from the environment); a TLS handshake refused on trust (either side's
 * certificate) is refused like a 4xx; only then is a missing connection looked for; what is
 * left (a reset mid-exchange, a 5xx, a bug in the route) is transient.
 */
final class FailureClassifier {
    private static final Set<Integer> RETRYABLE_4XX = Set.of(408, 425, 429);
    /** Thrown by Spring JDBC (camel-sql) when no connection to the database could be had. */
    private static final String NO_JDBC_CONNECTION = "org.springframework.jdbc.CannotGetJdbcConnectionException";
    /** Apache HttpClient 5's connect timeout (an InterruptedIOException, not a SocketTimeoutException). */
    private static final String HTTP_CONNECT_TIMEOUT = "org.apache.hc.client5.http.ConnectTimeoutException";

    private FailureClassifier() {
    }

    static OutcomeClass ofHttpStatus(int status) {
        return status >= 500 || RETRYABLE_4XX.contains(status) ? OutcomeClass.TRANSIENT : OutcomeClass.REFUSED;
    }

    static OutcomeClass classify(Throwable failure) {
        if (find(failure, MappingException.class) != null) {
            return OutcomeClass.UNTRANSLATABLE;
        }
        HttpOperationFailedException http = find(failure, HttpOperationFailedException.class);
        if (http != null) {
            return ofHttpStatus(http.getStatusCode());
        }
        if (isDataError(failure) || find(failure, MisconfiguredDestinationException.class) != null) {
            return OutcomeClass.PERMANENT;
        }
        if (TlsFailures.describe(failure) != null) {
            return OutcomeClass.REFUSED;
        }
        if (isUnreachable(failure)) {
            return OutcomeClass.UNREACHABLE;
        }
        return OutcomeClass.TRANSIENT;
    }

    /** SQLState class 22 (data exception: value too long, out of range) or 23 (integrity constraint violation). */
    private static boolean isDataError(Throwable failure) {
        for (Throwable c : chain(failure)) {
            if (c instanceof SQLDataException || c instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Nothing was exchanged: refused or unroutable connect, unknown host, a connect timeout, no answer before the
     * read timeout, a database that gave no connection (SQLState class 08). A connection reset after the request
     * went out ({@code SocketException: Connection reset}, HttpClient's {@code NoHttpResponseException}) is not
     * here: the destination was reached, and lost the exchange, which is transient.
     */
    private static boolean isUnreachable(Throwable failure) {
        for (Throwable c : chain(failure)) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException || c instanceof SocketTimeoutException) {
                return true;
            }
            String name = c.getClass().getName();
            if (name.equals(NO_JDBC_CONNECTION) || (c instanceof InterruptedIOException && name.equals(HTTP_CONNECT_TIMEOUT))) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c : chain(t)) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    static Throwable rootCause(Throwable t) {
        List<Throwable> chain = chain(t);
        return chain.get(chain.size() - 1);
    }

    /**
     * The exception and its causes (for an SQLException without a cause, its chained next exception), at most
     * 32 deep, so that a cause chain with a cycle cannot loop.
     */
    private static List<Throwable> chain(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && chain.size() < 32 && !chain.contains(c); ) {
            chain.add(c);
            Throwable cause = c.getCause();
            c = cause == null && c instanceof SQLException sql ? sql.getNextException() : cause;
        }
        return chain;
    }
}
