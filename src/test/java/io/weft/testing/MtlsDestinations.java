package io.weft.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The REST destinations as real HTTPS servers that demand a client certificate signed by the plant's CA
 * ({@code plant-ca}), with certificates made by {@link TestPki}: the MES trusts Weft's certificate
 * ({@code weft-p1}, signed by the plant CA); the supplier portal gets a certificate signed by another CA
 * ({@code rogue-ca}) from Weft; Weft presents the ERP no certificate at all. {@link #mesPresentsForeignCertificate}
 * makes the MES present a server certificate of the rogue CA, which Weft does not trust. Every answer closes its
 * connection, so each delivery does its own handshake.
 */
public class MtlsDestinations implements QuarkusTestResourceLifecycleManager {
    private static TestPki pki;
    private static HttpsServer mes;
    private static HttpsServer supplier;
    private static HttpsServer erp;
    /** Each request received: "<server> <client certificate subject>". */
    private static final List<String> received = new CopyOnWriteArrayList<>();

    public static List<String> received() {
        return List.copyOf(received);
    }

    /** The MES restarts, on the same port, with a server certificate of the rogue CA. */
    public static void mesPresentsForeignCertificate() throws IOException {
        int port = mes.getAddress().getPort();
        mes.stop(0);
        mes = start("mes", port, pki.context("foreign-server", "plant-ca"));
    }

    @Override
    public Map<String, String> start() {
        try {
            pki = new TestPki(Files.createTempDirectory("weft-mtls-"))
                    .ca("plant-ca").ca("rogue-ca")
                    .certificate("server", "localhost", "plant-ca")
                    .certificate("foreign-server", "localhost", "rogue-ca")
                    .certificate("weft-p1", "weft-p1", "plant-ca")
                    .certificate("rogue", "weft-p1", "rogue-ca");
            SSLContext server = pki.context("server", "plant-ca");
            mes = start("mes", server);
            supplier = start("supplier", server);
            erp = start("erp", server);
            Path wms = Files.createTempDirectory("weft-wms-");
            String password = TestPki.PASSWORD;
            return Map.ofEntries(
                    Map.entry("weft.systems.mes.url", url(mes)),
                    Map.entry("weft.systems.supplier.url", url(supplier)),
                    Map.entry("weft.systems.erp.url", url(erp)),
                    Map.entry("weft.systems.wms.inbox", "file:" + Files.createDirectories(wms.resolve("inbox"))),
                    Map.entry("weft.systems.wms.outbox", "file:" + Files.createDirectories(wms.resolve("outbox"))),
                    // The MES: Weft's own certificate and the plant CA, as PKCS12 stores.
                    Map.entry("weft.systems.mes.tls.key-store", pki.file("weft-p1.p12").toString()),
                    Map.entry("weft.systems.mes.tls.key-store-password", password),
                    Map.entry("weft.systems.mes.tls.trust-store", pki.file("plant-ca-trust.p12").toString()),
                    Map.entry("weft.systems.mes.tls.trust-store-password", password),
                    // The supplier portal: PEM files, but a certificate of a CA the portal does not trust.
                    Map.entry("weft.systems.supplier.tls.certificate", pki.file("rogue.crt").toString()),
                    Map.entry("weft.systems.supplier.tls.key", pki.file("rogue.key").toString()),
                    Map.entry("weft.systems.supplier.tls.ca", pki.file("plant-ca.crt").toString()),
                    // The ERP: trust, but no client certificate.
                    Map.entry("weft.systems.erp.tls.ca", pki.file("plant-ca.crt").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(HttpsServer server) {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private static HttpsServer start(String name, SSLContext context) throws IOException {
        return start(name, 0, context);
    }

    private static HttpsServer start(String name, int port, SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setHttpsConfigurator(requiringClientCertificate(context));
        server.createContext("/", exchange -> answer(name, exchange));
        server.start();
        return server;
    }

    private static HttpsConfigurator requiringClientCertificate(SSLContext context) {
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        };
    }

    private static void answer(String name, HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String subject = "(none)";
        try {
            subject = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        } catch (Exception e) {
            // no client certificate
        }
        received.add(name + " " + subject);
        exchange.getResponseHeaders().add("Connection", "close");
        exchange.sendResponseHeaders(201, -1);
        exchange.close();
    }

    @Override
    public void stop() {
        mes.stop(0);
        supplier.stop(0);
        erp.stop(0);
    }
}
