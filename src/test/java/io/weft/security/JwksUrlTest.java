package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.weft.testing.Destinations;
import io.weft.testing.JwksServer;
import io.weft.testing.Orders;
import io.weft.testing.TestIdentityProvider;
import io.weft.testing.TestStores;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weft fetches the identity provider's keys from its JWKS URL (a real HTTP server): a system's and an operator's
 * tokens signed by the published key are accepted; after the provider rotates to a new key, a token signed by
 * it is accepted (Weft fetches the keys again for the new kid); a token with a kid the provider never published
 * is 401 problem+json.
 */
@QuarkusTest
@TestProfile(JwksUrlTest.Profile.class)
class JwksUrlTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.TestStores.h2());
            config.put("weft.systems.erp.auth", "oidc");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class), new TestResourceEntry(JwksServer.class));
        }
    }

    private static String erpToken(RsaJsonWebKey key) {
        return TestIdentityProvider.sign(TestIdentityProvider.ISSUER, TestIdentityProvider.AUDIENCE, "svc-erp", 300,
                Map.of("weft_system", "erp"), key);
    }

    private static Response postOrder(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Orders.erpOrder(Orders.nextOrderNumber(), "P1")).post("/inbound/erp/production-orders");
    }

    @Test
    void keysComeFromTheJwksUrlAndRotate() {
        RsaJsonWebKey first = JwksServer.firstKey();
        assertEquals(202, postOrder(erpToken(first)).statusCode());
        String operator = TestIdentityProvider.sign(TestIdentityProvider.ISSUER, TestIdentityProvider.AUDIENCE,
                "user-olga", 300, Map.of("preferred_username", "olga", "groups", List.of("viewer")), first);
        given().header("Authorization", "Bearer " + operator).get("/api/messages?limit=1").then().statusCode(200);
        assertTrue(JwksServer.fetches() >= 1);

        // The provider rotates: a new key is published (the old one still listed during the change).
        RsaJsonWebKey second = JwksServer.newKey("second-" + System.nanoTime());
        JwksServer.publish(first, second);
        int before = JwksServer.fetches();
        Response rotated = postOrder(erpToken(second));
        assertEquals(202, rotated.statusCode(), rotated.asString());
        assertTrue(JwksServer.fetches() > before, "the new kid made Weft fetch the keys again");

        // A kid the provider never published: refused.
        Response unknown = postOrder(erpToken(JwksServer.newKey("never-published")));
        assertEquals(401, unknown.statusCode(), unknown.asString());
        assertEquals("application/problem+json", unknown.contentType());
        assertTrue(unknown.header("WWW-Authenticate").contains("Bearer"), unknown.header("WWW-Authenticate"));
        // After the old key is withdrawn, the new one still works.
        JwksServer.publish(second);
        assertEquals(202, postOrder(erpToken(second)).statusCode());
    }
}
