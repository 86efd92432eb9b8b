package io.weft.delivery;

import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A destination that hangs or is down must not hold up deliveries to the others. */
@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class DestinationIsolationTest {

    @AfterEach
    void reset() {
        Destinations.mes().resetAll();
    }

    @Test
    void aHangingMesDoesNotDelayTheWms() {
        // Each MES answer takes 2.5 s: the MES lane (4 workers) needs several rounds for 12 orders.
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(200).withFixedDelay(2500)));

        List<String> ids = postOrders(12);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertTrue(ids.stream().allMatch(id -> wmsFile(id)), "every WMS file written"));
        // Only this test's orders: tests before it on the same application may have left deliveries to the MES.
        long mesDone = Destinations.mes().findAll(postRequestedFor(urlEqualTo("/api/work-orders"))).stream()
                .filter(r -> ids.contains(r.getHeader("Idempotency-Key"))).count();
        assertTrue(mesDone < ids.size(), "the MES should still be busy when the WMS has everything, but had " + mesDone);
    }

    @Test
    void aMesThatIsDownDoesNotDelayTheWms() {
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        List<String> ids = postOrders(12);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertTrue(ids.stream().allMatch(id -> wmsFile(id)), "every WMS file written"));
    }

    private static boolean wmsFile(String id) {
        return Files.isRegularFile(Destinations.wmsOutbox().resolve("ProductionOrder-" + id + ".csv"));
    }

    private static List<String> postOrders(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1")));
        }
        return ids;
    }
}
