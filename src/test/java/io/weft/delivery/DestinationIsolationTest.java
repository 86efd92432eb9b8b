package io.weft.delivery;

import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A destination that hangs or is down must not hold up deliveries to the others. */
@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class DestinationIsolationTest {

    @AfterEach
    void reset() {
        Destinations.mes().resetAll();
        Destinations.wms().resetAll();
    }

    @Test
    void aHangingWmsDoesNotDelayTheMes() {
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(200)));
        // Each WMS answer takes 2.5 s: the WMS lane (4 workers) needs several rounds for 12 orders.
        Destinations.wms().stubFor(post(urlEqualTo("/orders")).willReturn(aResponse().withStatus(200).withFixedDelay(2500)));

        List<String> ids = postOrders(12);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertEquals(ids.size(), Destinations.mes().findAll(postRequestedFor(urlEqualTo("/api/work-orders"))).size()));
        int wmsDone = Destinations.wms().findAll(postRequestedFor(urlEqualTo("/orders"))).size();
        assertTrue(wmsDone < ids.size(), "the WMS should still be busy when the MES has everything, but had " + wmsDone);
    }

    @Test
    void aWmsThatIsDownDoesNotDelayTheMes() {
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(200)));
        Destinations.wms().stubFor(post(urlEqualTo("/orders")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        List<String> ids = postOrders(12);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertEquals(ids.size(), Destinations.mes().findAll(postRequestedFor(urlEqualTo("/api/work-orders"))).size()));
    }

    private static List<String> postOrders(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1")));
        }
        return ids;
    }
}
