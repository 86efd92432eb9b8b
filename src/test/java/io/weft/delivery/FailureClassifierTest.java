package io.weft.delivery;

import io.weft.mapping.MappingException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The classification rules on the exception chains the real peers produce (the tests against real peers are
 * {@link OutcomeClasses}); here the wrapping is what Camel, Spring JDBC and the HTTP client add.
 */
class FailureClassifierTest {

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"400, REFUSED", "401, REFUSED", "404, REFUSED", "409, REFUSED", "422, REFUSED", "408, TRANSIENT",
        "425, TRANSIENT", "429, TRANSIENT", "500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT"})
    void httpStatuses(int status, OutcomeClass expected) {
        var failure = new HttpOperationFailedException("http://mes/api", status, "x", null, Map.of(), "body");
        assertEquals(expected, FailureClassifier.classify(wrapped(failure)));
    }

    @Test
    void noConnectionAtAllIsUnreachable() {
        assertEquals(OutcomeClass.UNREACHABLE, FailureClassifier.classify(wrapped(new ConnectException("Connection refused"))));
        assertEquals(OutcomeClass.UNREACHABLE, FailureClassifier.classify(wrapped(new UnknownHostException("mes.plant"))));
        assertEquals(OutcomeClass.UNREACHABLE, FailureClassifier.classify(wrapped(new SocketTimeoutException("Read timed out"))));
        assertEquals(OutcomeClass.UNREACHABLE, FailureClassifier.classify(
                wrapped(new SQLException("Could not connect", "08000", new IOException("socket")))));
    }

    @Test
    void aConnectionLostMidExchangeIsTransient() {
        assertEquals(OutcomeClass.TRANSIENT, FailureClassifier.classify(wrapped(new SocketException("Connection reset"))));
    }

    @Test
    void dataErrorsArePermanentWhateverWrapsThem() {
        SQLException tooLong = new SQLException("Data too long for column 'uom' at row 1", "22001", 1406);
        assertEquals(OutcomeClass.PERMANENT, FailureClassifier.classify(wrapped(new RuntimeException("PreparedStatementCallback", tooLong))));
        SQLException constraint = new SQLException("CONSTRAINT `ck` failed", "23000", 4025);
        assertEquals(OutcomeClass.PERMANENT, FailureClassifier.classify(wrapped(constraint)));
    }

    @Test
    void aMappingFailureIsUntranslatableAndAnythingElseInsideWeftIsTransient() {
        assertEquals(OutcomeClass.UNTRANSLATABLE, FailureClassifier.classify(
                wrapped(new MappingException("mes/ProductionOrder.out.jsonata", null, "no product code", null))));
        assertEquals(OutcomeClass.TRANSIENT, FailureClassifier.classify(wrapped(new NullPointerException())));
        assertEquals(OutcomeClass.TRANSIENT, FailureClassifier.classify(new IllegalStateException("route stopped")));
    }

    @Test
    void onlyUnreachableMarksDownAndOnlyRefusedUntranslatableAndPermanentParkAtOnce() {
        for (OutcomeClass c : OutcomeClass.values()) {
            assertEquals(c == OutcomeClass.UNREACHABLE, c.destinationDown(), c.name());
            assertEquals(c == OutcomeClass.REFUSED || c == OutcomeClass.UNTRANSLATABLE || c == OutcomeClass.PERMANENT,
                    c.parksAtOnce(), c.name());
        }
    }

    private static Exception wrapped(Throwable cause) {
        return new CamelExecutionException("Exception occurred during execution", null, cause);
    }
}
