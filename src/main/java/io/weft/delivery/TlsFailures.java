package io.weft.delivery;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.EOFException;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * A TLS handshake that failed on trust, not on the network: the destination's certificate is not trusted or not
 * for its host name, or the destination refused Weft's client certificate (or its absence). Another try with the
 * same certificates cannot succeed, so such a delivery is parked at once, with a diagnostic that says which side
 * refused and which settings to look at; a handshake cut off by the network is left to the retries.
 */
final class TlsFailures {
    private TlsFailures() {
    }

    /** What went wrong in words for the attempt's diagnostics, or null if this is no refused TLS handshake. */
    static String describe(Throwable failure) {
        SSLPeerUnverifiedException peer = FailureClassifier.find(failure, SSLPeerUnverifiedException.class);
        if (peer != null) {
            return "TLS: the destination's certificate is not for its host name (" + peer.getMessage() + ")";
        }
        SSLException ssl = FailureClassifier.find(failure, SSLHandshakeException.class);
        if (ssl == null) {
            ssl = FailureClassifier.find(failure, SSLException.class);
        }
        if (ssl == null) {
            return null;
        }
        if (FailureClassifier.find(failure, CertPathBuilderException.class) != null
                || FailureClassifier.find(failure, CertPathValidatorException.class) != null
                || FailureClassifier.find(failure, CertificateException.class) != null) {
            return "TLS: the destination's server certificate is not trusted (weft.systems.<destination>.tls.trust-store "
                    + "or .ca): " + ssl.getMessage();
        }
        String message = String.valueOf(ssl.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("certificate_required")) {
            return "TLS: the destination requires a client certificate and Weft presented none "
                    + "(weft.systems.<destination>.tls.key-store or .certificate): " + ssl.getMessage();
        }
        if (message.contains("bad_certificate") || message.contains("unknown_ca") || message.contains("certificate_unknown")
                || message.contains("access_denied") || message.contains("unsupported_certificate")
                || message.contains("certificate_revoked") || message.contains("certificate_expired")) {
            return "TLS: the destination refused Weft's client certificate: " + ssl.getMessage();
        }
        if (ssl instanceof SSLHandshakeException && FailureClassifier.find(failure, EOFException.class) == null
                && FailureClassifier.find(failure, SocketException.class) == null) {
            return "TLS: the handshake with the destination failed: " + ssl.getMessage();
        }
        return null;
    }
}
