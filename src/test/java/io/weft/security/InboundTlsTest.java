package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Auth;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.TestCertificates;
import io.weft.testing.TestStores;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the business port with a certificate and key from PEM files the test made, and mutual TLS: the ERP
 * and the CRM authenticate with client certificates (auth=mtls) named after them, checked against a trust
 * store. Over real TLS on loopback with the JDK's client.
 */
@QuarkusTest
@TestProfile(InboundTlsTest.Profile.class)
class InboundTlsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestCertificates.make(List.of("erp", "crm"), List.of("intruder"));
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.TestStores.h2());
            config.put("quarkus.http.ssl.certificate.files", TestCertificates.DIR.resolve("server.crt").toString());
            config.put("quarkus.http.ssl.certificate.key-files", TestCertificates.DIR.resolve("server.key").toString());
            config.put("quarkus.http.ssl.certificate.trust-store-file", TestCertificates.DIR.resolve("clients-trust.p12").toString());
            config.put("quarkus.http.ssl.certificate.trust-store-file-type", "PKCS12");
            config.put("quarkus.http.ssl.certificate.trust-store-password", TestCertificates.PASSWORD);
            config.put("quarkus.http.ssl.client-auth", "request");
            config.put("quarkus.http.test-ssl-port", "0");
            config.put("weft.systems.erp.auth", "mtls");
            config.put("weft.systems.crm.auth", "mtls");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }

    private static HttpResponse<String> post(String clientCertificate, String order, String... headers) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(clientCertificate == null
                ? TestCertificates.client(null) : TestCertificates.client(clientCertificate))
                .connectTimeout(Duration.ofSeconds(5)).build();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port
                        + "/inbound/erp/production-orders")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(order, "P1")));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theErpsClientCertificateIsAcceptedOverTls() throws Exception {
        HttpResponse<String> answer = post("erp", Orders.nextOrderNumber());
        assertEquals(202, answer.statusCode(), answer.body());
        assertEquals("TLSv1.3", answer.sslSession().orElseThrow().getProtocol());
    }

    @Test
    void withoutACertificateIs401() throws Exception {
        String order = Orders.nextOrderNumber();
        HttpResponse<String> answer = post(null, order);
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").contains("Mutual"));
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        given().queryParam("businessKey", order).get("/api/messages").then().body("", hasSize(0));
    }

    @Test
    void theCrmsCertificateCannotPostAsTheErp() throws Exception {
        String order = Orders.nextOrderNumber();
        HttpResponse<String> answer = post("crm", order);
        assertEquals(403, answer.statusCode(), answer.body());
        given().queryParam("businessKey", order).get("/api/messages").then().body("", hasSize(0));
    }

    @Test
    void anApiKeyIsNotEnoughForASystemThatAuthenticatesWithMtls() throws Exception {
        assertEquals(401, post(null, Orders.nextOrderNumber(), Auth.headers(Auth.erp())).statusCode());
    }

    /**
     * A certificate no trusted CA issued proves nothing: the JDK client does not even offer it (the server names
     * the CAs it accepts), and a client that insists fails the handshake. Either way, no 202 and nothing journaled.
     */
    @Test
    void aCertificateOutsideTheTrustStoreProvesNothing() throws Exception {
        String order = Orders.nextOrderNumber();
        try {
            assertEquals(401, post("intruder", order).statusCode());
        } catch (IOException handshakeRefused) {
            // refused during the handshake
        }
        given().queryParam("businessKey", order).get("/api/messages").then().body("", hasSize(0));
    }
}
