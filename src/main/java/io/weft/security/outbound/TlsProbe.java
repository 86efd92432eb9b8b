package io.weft.security.outbound;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Optional;

/**
 * One TLS handshake with a destination, then a short wait for its first bytes: a destination that refuses the
 * client certificate sends its alert (bad_certificate, certificate_required, unknown_ca) then; one that accepts
 * it waits for a request, and the wait times out; one that closes the connection before any request (the JDK's
 * HTTPS server, without an alert) refuses it too. Only the handshake's verdict is looked at; nothing is sent.
 */
final class TlsProbe {
    private static final int CONNECT_MS = 5000;
    private static final int ALERT_WAIT_MS = 1500;

    private TlsProbe() {
    }

    /** The destination's refusal of this TLS context, or empty if it accepted it (or could not be asked). */
    static Optional<SSLException> refusal(URI url, SSLContext context, boolean presentsCertificate) {
        int port = url.getPort() > 0 ? url.getPort() : 443;
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), CONNECT_MS);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(ALERT_WAIT_MS);
            socket.startHandshake();
            if (socket.getInputStream().read() < 0) {
                // Closed before any request, without an alert (as the JDK's own HTTPS server does): a refusal.
                return Optional.of(new SSLHandshakeException("the destination closed the connection right after the "
                        + "TLS handshake, before any request (as for alert "
                        + (presentsCertificate ? "bad_certificate" : "certificate_required") + ")"));
            }
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.empty(); // accepted: the destination waits for the request
        } catch (SSLException e) {
            return Optional.of(e);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
