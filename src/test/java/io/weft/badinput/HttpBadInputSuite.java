package io.weft.badinput;

import io.weft.store.Store;
import io.weft.testing.Orders;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeded bad-input suite over every HTTP entry point of the sample plant (each {@code /inbound/<system>/
 * <resource>}, JSON and XML, its headers, and the operations API's parameters and ids): for every case, no
 * 5xx; a 4xx is {@code application/problem+json} with {@code title}, {@code status} and a {@code detail}; a
 * refused input journals nothing (the message table's count and a search by the case's marker); input that
 * is bad by construction is refused; and every 25 cases, and after the last, Weft is live and still accepts a
 * valid order. Runs on each store ({@link HttpBadInputOnH2Test}, {@link HttpBadInputOnPostgresTest}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HttpBadInputSuite {
    private static final List<HttpCase> CASES = HttpCases.generate();

    @Inject
    Store store;

    static List<HttpCase> cases() {
        return CASES;
    }

    @Test
    @Order(0)
    void theSuiteHasAtLeast500Cases() {
        assertTrue(CASES.size() >= 500, "cases: " + CASES.size());
        assertTrue(CASES.stream().filter(HttpCase::mustRefuse).count() > 300, "cases bad by construction");
    }

    @ParameterizedTest(name = "{0}")
    @Order(1)
    @MethodSource("cases")
    void badInputIsAnswered4xxAndStoresNothing(HttpCase c) {
        long before = journaled();
        WeftHttp.Answer answer = WeftHttp.send(c.method(), c.path(), c.headers(), c.body());
        long after = journaled();
        String seen = " (case " + c + ", seed " + HttpCases.SEED + "; answer " + answer.status() + " " + answer.contentType() + ": "
                + excerpt(answer.body()) + ")";

        assertTrue(answer.status() < 500, "no 5xx" + seen);
        if (answer.status() >= 400) {
            assertTrue(String.valueOf(answer.contentType()).startsWith("application/problem+json"), "a problem" + seen);
            assertNotNull(answer.json(), "a problem body" + seen);
            assertEquals(answer.status(), answer.json().path("status").asInt(), "its status" + seen);
            assertFalse(answer.json().path("title").asText().isBlank(), "its title" + seen);
            assertFalse(answer.json().path("detail").asText().isBlank(), "a detail saying what is wrong" + seen);
            assertEquals(before, after, "nothing journaled for a refused input" + seen);
            if (c.marker() != null) {
                WeftHttp.Answer found = WeftHttp.get("/api/messages?businessKey=" + c.marker());
                assertEquals(200, found.status(), "search by marker");
                assertEquals(0, found.json().size(), "nothing journaled under the case's marker" + seen);
            }
        } else if (c.method().equals("POST") && c.path().startsWith("/inbound/")) {
            assertEquals(202, answer.status(), "accepted" + seen);
            boolean duplicate = answer.json().path("duplicate").asBoolean();
            assertEquals(before + (duplicate ? 0 : 1), after, "an accepted message is journaled once" + seen);
        }
        if (c.mustRefuse()) {
            assertTrue(answer.status() >= 400 && answer.status() < 500, "bad by construction, so refused" + seen);
        }
        if (c.number() % 25 == 0) {
            weftIsLiveAndAcceptsAValidOrder();
        }
    }

    @Test
    @Order(2)
    void stillLiveAfterEveryCase() {
        weftIsLiveAndAcceptsAValidOrder();
    }

    static void weftIsLiveAndAcceptsAValidOrder() {
        assertEquals(200, WeftHttp.get("/q/health/live").status(), "health live");
        WeftHttp.Answer order = WeftHttp.postJson("/inbound/erp/production-orders",
                Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        assertEquals(202, order.status(), "a valid order after bad input: " + order.body());
    }

    private long journaled() {
        return store.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM message");
                 ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private static String excerpt(String body) {
        return body == null || body.length() <= 400 ? body : body.substring(0, 400) + "...";
    }
}
