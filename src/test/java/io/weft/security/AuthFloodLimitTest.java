package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.weft.testing.Auth;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of requests with wrong credentials from one address is answered 429 with Retry-After once it has
 * failed {@code burst} times, without a single further PBKDF2 verification; a system and an operator Weft
 * already verified go on working meanwhile, from the same address.
 */
@QuarkusTest
@TestProfile(AuthFloodLimitTest.Profile.class)
class AuthFloodLimitTest {
    private static final int BURST = 5;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.TestStores.h2());
            config.put("weft.security.auth-failures.burst", String.valueOf(BURST));
            config.put("weft.security.auth-failures.per-minute", "2");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }

    private static Response wrongKey() {
        return given().header(Auth.API_KEY_HEADER, "not-a-key-" + UUID.randomUUID()).contentType("application/json")
                .body(Orders.erpOrder(Orders.nextOrderNumber(), "P1")).post("/inbound/erp/production-orders");
    }

    @Test
    void aFloodOfWrongCredentialsIsLimitedWithoutHashingWhileKnownCredentialsGoOn() {
        // The ERP and the admin authenticate once: Weft remembers them.
        Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        given().get("/api/messages?limit=1").then().statusCode(200);

        for (int i = 0; i < BURST; i++) {
            wrongKey().then().statusCode(401);
        }
        long hashing = io.weft.security.KeyHashes.verifications();
        for (int i = 0; i < 50; i++) {
            Response limited = wrongKey();
            assertEquals(429, limited.statusCode(), limited.asString());
            assertEquals("application/problem+json", limited.contentType());
            assertNotNull(limited.header("Retry-After"));
            assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
            assertTrue(limited.jsonPath().getString("detail").contains("failed to authenticate"), limited.asString());
        }
        Response operatorGuess = given().header("Authorization", Auth.basic("admin", "guess")).get("/api/messages");
        assertEquals(429, operatorGuess.statusCode(), operatorGuess.asString());
        given().header("Authorization", "none").get("/api/messages").then().statusCode(429);
        assertEquals(hashing, io.weft.security.KeyHashes.verifications(), "no PBKDF2 ran for the refused flood");

        // Known credentials from the same address are unaffected.
        Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        given().get("/api/messages?limit=1").then().statusCode(200);
        // The limit is recorded once in the audit trail, not once per request.
        List<String> actions = given().queryParam("action", "auth-flood-limited").get("/api/audit").then()
                .statusCode(200).extract().path("action");
        assertEquals(1, actions.size(), actions.toString());
    }
}
