package io.weft.delivery;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Incomplete configuration and TLS refusals park a delivery at once; a handshake cut by the network is retried. */
class FailureClassifierMisconfiguredTest {
    @Test
    void aMissingCredentialParksAtOnce() {
        var failure = new CamelExecutionException("wrapped", null,
                new MisconfiguredDestinationException("weft.systems.mes.outbound.password is not set"));
        assertEquals(OutcomeClass.PERMANENT, FailureClassifier.classify(failure));
        assertTrue(FailureClassifier.classify(failure).parksAtOnce());
    }

    @Test
    void aRefusedClientCertificateIsRefused() {
        var failure = new SSLHandshakeException("Received fatal alert: bad_certificate");
        assertEquals(OutcomeClass.REFUSED, FailureClassifier.classify(failure));
        assertTrue(TlsFailures.describe(failure).contains("refused Weft's client certificate"));
    }

    @Test
    void aHandshakeCutByTheNetworkIsRetried() {
        var failure = new SSLHandshakeException("Remote host terminated the handshake");
        failure.initCause(new SocketException("Connection reset"));
        assertNull(TlsFailures.describe(failure));
        assertEquals(OutcomeClass.TRANSIENT, FailureClassifier.classify(failure));
    }
}
