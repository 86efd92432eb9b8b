package io.weft.spoke;

import io.weft.testing.TestFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.PostgresDatabase;
import io.weft.testing.RecordingDestination;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's walkthrough "Adding a system", done for real: a second MES at plant P2 ({@code mes2}) is added to a
 * copy of the shipped routes and mappings with exactly one new route file, one mapping and one router branch, and
 * Weft started on that copy delivers a P2 production order to it. Nothing else is touched: no Java, no other file.
 */
@QuarkusTest
@TestProfile(AddASystemTest.WithMes2.class)
class AddASystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static RecordingDestination mes2;

    /** routes/systems/mes2.camel.yaml, as in the README. */
    static final String MES2_ROUTE = """
            # MES of plant P2: REST JSON at weft.systems.mes2.url, same API as the P1 MES.
            - route:
                id: mes2-out
                group: destination
                description: Delivers production orders to the MES of plant P2
                routeConfigurationId: weft-outbound
                from:
                  uri: direct:mes2-out
                  steps:
                    - to: "bean:mapper?method=map(${body}, 'mes2/ProductionOrder.out.jsonata')"
                    - setHeader:
                        name: Content-Type
                        constant: application/json
                    - to: "{{weft.systems.mes2.url}}/api/work-orders?httpMethod=POST"
            """;

    /** mappings/mes2/ProductionOrder.out.jsonata, as in the README. */
    static final String MES2_MAPPING = """
            /* canonical ProductionOrder (CloudEvent) -> the P2 MES's work order */
            {
              "workOrderId": data.orderNumber,
              "line": data.plant,
              "productCode": data.material,
              "quantity": data.quantity,
              "unit": data.unit,
              "plannedStart": data.plannedStart,
              "plannedEnd": data.plannedEnd
            }
            """;

    /** The router branch, as in the README: inserted before the catch-all ProductionOrder branch. */
    static final String ROUTER_BRANCH = """
                          # Plant P2's orders go to its own MES (mes2) and to the WMS.
                          - simple: "${header.type} == 'ProductionOrder' && ${variable.plant} == 'P2'"
                            steps:
                              - setProperty:
                                  name: destinations
                                  constant: mes2,wms
            """;

    public static class WithMes2 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path plant = Files.createTempDirectory("weft-plant-");
                Path routes = TestFiles.copyTree(Path.of("routes"), plant.resolve("routes"));
                Path mappings = TestFiles.copyTree(Path.of("mappings"), plant.resolve("mappings"));
                Files.writeString(routes.resolve("systems/mes2.camel.yaml"), MES2_ROUTE);
                Files.createDirectories(mappings.resolve("mes2"));
                Files.writeString(mappings.resolve("mes2/ProductionOrder.out.jsonata"), MES2_MAPPING);
                Path hub = routes.resolve("hub.camel.yaml");
                String router = Files.readString(hub);
                String catchAll = "              # Other plants have no MES connected";
                assertTrue(router.contains(catchAll), "the shipped router has its catch-all ProductionOrder branch");
                Files.writeString(hub, router.replace(catchAll, ROUTER_BRANCH + catchAll));

                mes2 = RecordingDestination.start("mes2", "/api/work-orders", 201);
                Map<String, String> config = new HashMap<>(PostgresDatabase.weftConfig(PostgresDatabase.create()));
                config.put("weft.routes-dir", routes.toString());
                config.put("weft.mappings-dir", mappings.toString());
                config.put("weft.systems.mes2.url", mes2.baseUrl());
                config.put("weft.delivery.poll-interval", "100ms");
                return config;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }

    @Test
    void aP2OrderReachesTheNewMesAndAP1OrderStillTheOldOne() throws Exception {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(201)));

        String p2 = Orders.nextOrderNumber();
        String p2Id = Orders.accept(Orders.erpOrder(p2, "P2"));
        String p1 = Orders.nextOrderNumber();
        String p1Id = Orders.accept(Orders.erpOrder(p1, "P1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> mes2.received().stream().anyMatch(r -> p2Id.equals(r.idempotencyKey())));
        RecordingDestination.Received received = mes2.received().stream()
                .filter(r -> p2Id.equals(r.idempotencyKey())).findFirst().orElseThrow();
        assertEquals(p2, JSON.readTree(received.body()).path("workOrderId").asText());
        assertEquals("P2", JSON.readTree(received.body()).path("line").asText());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/messages/" + p2Id).then()
                .body("deliveries.destination", containsInAnyOrder("mes2", "wms")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/messages/" + p1Id).then()
                .body("deliveries.destination", containsInAnyOrder("mes", "wms")));
        assertTrue(mes2.received().stream().noneMatch(r -> p1Id.equals(r.idempotencyKey())), "a P1 order never reaches mes2");
        given().get("/api/systems").then().body("find { it.name == 'mes2' }.receives", org.hamcrest.Matchers.equalTo(true));
    }
}
