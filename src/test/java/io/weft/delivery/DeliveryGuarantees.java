package io.weft.delivery;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.weft.store.Store;
import io.weft.testing.Orders;
import io.weft.testing.RecordingDestination;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.weft.delivery.DeliveryChecks.attemptLog;
import static io.weft.delivery.DeliveryChecks.metric;
import static io.weft.delivery.DeliveryChecks.outcomeClasses;
import static io.weft.delivery.DeliveryChecks.reachability;
import static io.weft.delivery.DeliveryChecks.status;
import static io.weft.delivery.DeliveryPeers.erp;
import static io.weft.delivery.DeliveryPeers.mes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weft never delivers twice on its own: slow destinations, outages longer than the retry schedule, leases shorter
 * than an attempt, and a lease taken over. Runs on each store ({@link DeliveryGuaranteesOnH2Test},
 * {@link DeliveryGuaranteesOnPostgresTest}).
 */
abstract class DeliveryGuarantees {
    private static final String SLOW_MATERIAL = "MAT-SLOW";
    private static final String BLOCKING_MATERIAL = "MAT-BLOCK";

    @Inject
    Outbox outbox;
    @Inject
    Store store;

    /**
     * How many orders the slow-destination test sends, how slow the MES answers, the MES's lease and batch size,
     * and how long four first orders keep the four workers busy while the others are posted.
     */
    record SlowRun(int orders, long latencyMillis, Duration lease, int batchSize, int blockMillis) {
    }

    abstract SlowRun slowRun();

    @BeforeEach
    void destinationsAccept() {
        mes().resetAll();
        mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(10).willReturn(aResponse().withStatus(200)));
        erp().latency(0);
    }

    @Test
    void aDestinationSlowerThanLeaseOverBatchSizeGetsEveryOrderOnceWithOneAttemptEach() throws Exception {
        SlowRun run = slowRun();
        assertTrue(run.latencyMillis() > run.lease().toMillis() / run.batchSize(), "the scenario: a batch outlives its lease");
        mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.productCode", WireMock.equalTo(SLOW_MATERIAL)))
                .willReturn(aResponse().withStatus(200).withFixedDelay((int) run.latencyMillis())));
        // Four orders that keep the four workers busy while the slow orders are posted, so that the workers then
        // claim full batches (as they do when a backlog built up) instead of a few orders each as they come in.
        mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.productCode", WireMock.equalTo(BLOCKING_MATERIAL)))
                .willReturn(aResponse().withStatus(200).withFixedDelay(run.blockMillis())));
        double lostBefore = metric("weft_delivery_leases_lost_total", "destination=\"mes\"");
        for (int i = 0; i < 4; i++) {
            Orders.accept(order(Orders.nextOrderNumber(), BLOCKING_MATERIAL));
        }
        long posting = System.nanoTime();
        List<String> ids = postInParallel(run.orders(), n -> order(Orders.nextOrderNumber(), SLOW_MATERIAL));
        assertTrue(Duration.ofNanos(System.nanoTime() - posting).toMillis() < run.blockMillis(),
                "the orders were all posted while the workers were busy (else they would not build a backlog)");

        await().atMost(Duration.ofMillis(run.orders() * run.latencyMillis() + 120_000)).pollInterval(Duration.ofSeconds(1))
                .until(() -> slowRequests().stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count() >= ids.size());
        // One query for all of them (a request per message, each with the operator's login, outlasts the wait on
        // a loaded machine).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> delivered = given().queryParam("destination", "mes").queryParam("status", "DELIVERED")
                    .queryParam("limit", "1000").get("/api/deliveries").then().statusCode(200).extract()
                    .jsonPath().getList("messageId", String.class);
            assertTrue(delivered.containsAll(ids), "not yet DELIVERED: " + ids.stream().filter(id -> !delivered.contains(id)).toList());
        });
        Thread.sleep(3000); // a late duplicate (a tail re-claimed by another worker) would arrive in this time
        Map<String, Long> sends = slowRequests().stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("Idempotency-Key"), Collectors.counting()));
        for (String id : ids) {
            assertEquals(1L, sends.get(id), "POSTs of message " + id);
            assertEquals(List.of("DELIVERED"), outcomeClasses(id, "mes"), "attempt log of " + id);
        }
        assertEquals(ids.size(), sends.size());
        List<Instant> at = slowRequests().stream().map(r -> r.getLoggedDate().toInstant()).sorted().toList();
        assertTrue(Duration.between(at.get(0), at.get(at.size() - 1)).compareTo(run.lease()) > 0,
                "the run lasted longer than a lease, so a claim outlived its first lease");
        assertEquals(lostBefore, metric("weft_delivery_leases_lost_total", "destination=\"mes\""), "no lease was lost");
    }

    @Test
    void anOutageLongerThanTheRetryScheduleEndsDeadWithEveryAttemptAndReplayDeliversEachOnce() {
        List<String> ids = new ArrayList<>();
        erp().goDown();
        try {
            for (int i = 0; i < 5; i++) {
                ids.add(acceptSalesOrder());
            }
            // 4 attempts, 200 ms to 1 s apart: the outage outlasts them all.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String id : ids) {
                    assertEquals("DEAD", status(id, "erp"), id);
                }
            });
            for (String id : ids) {
                assertEquals(List.of("UNREACHABLE", "UNREACHABLE", "UNREACHABLE", "UNREACHABLE"), outcomeClasses(id, "erp"));
                assertTrue(String.valueOf(attemptLog(id, "erp").get(3).get("errorMessage")).contains("refused"),
                        String.valueOf(attemptLog(id, "erp").get(3)));
            }
            assertEquals("DOWN", reachability("erp"));
        } finally {
            erp().comeBack();
        }
        assertTrue(erp().received().stream().noneMatch(r -> ids.contains(r.idempotencyKey())));

        for (String id : ids) {
            given().post("/api/messages/" + id + "/replay").then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : ids) {
                assertEquals("DELIVERED", status(id, "erp"), id);
            }
        });
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String id : ids) {
                assertEquals(1, sendsTo(erp(), id), "sends of " + id + " after the replay");
                assertEquals(List.of("UNREACHABLE", "UNREACHABLE", "UNREACHABLE", "UNREACHABLE", "DELIVERED"),
                        outcomeClasses(id, "erp"));
            }
        });
        assertEquals("UP", reachability("erp"));
    }

    @Test
    void aLeaseShorterThanOneAttemptIsKeptWhileTheAttemptRunsSoNoOtherWorkerSendsIt() throws Exception {
        // The ERP's lease is 1.5 s (DeliveryProfiles); each answer takes 2.5 s; three other workers are idle.
        erp().latency(2500);
        double lostBefore = metric("weft_delivery_leases_lost_total", "destination=\"erp\"");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(acceptSalesOrder());
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : ids) {
                assertEquals("DELIVERED", status(id, "erp"), id);
            }
        });
        Thread.sleep(3000); // longer than a lease: another worker's second send would have started by now
        erp().awaitIdle(Duration.ofSeconds(10));
        for (String id : ids) {
            assertEquals(1, sendsTo(erp(), id), "sends of " + id);
            assertEquals(List.of("DELIVERED"), outcomeClasses(id, "erp"));
        }
        assertEquals(lostBefore, metric("weft_delivery_leases_lost_total", "destination=\"erp\""));
    }

    @Test
    void aResultWhoseLeaseWasTakenOverIsNotWrittenAndTheNewHolderRecordsItOnce() throws Exception {
        String destination = "lease-probe-" + UUID.randomUUID().toString().substring(0, 8); // no lane delivers here
        long first = insertDelivery(destination);
        long second = insertDelivery(destination);

        Outbox.Claim a = outbox.claim(destination, 10, Duration.ofMillis(300), "worker-a");
        assertEquals(Set.of(first, second), ids(a));
        assertTrue(outbox.claim(destination, 10, Duration.ofSeconds(10), "worker-b").isEmpty(), "a live lease is kept");
        AtomicReference<Outbox.Claim> taken = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            taken.set(outbox.claim(destination, 10, Duration.ofSeconds(10), "worker-b"));
            return !taken.get().isEmpty();
        });
        Outbox.Claim b = taken.get();
        assertEquals(Set.of(first, second), ids(b), "worker b took both over once a's lease ran out");
        assertNotEquals(a.token(), b.token());

        Outbox.Recorded late = outbox.record(a, delivered(a, first), "worker-a");
        assertFalse(late.written(), "worker a's result is not written");
        assertEquals(Set.of(), late.stillHeld(), "worker a learns it holds nothing, so it does not send the second one");
        assertEquals(0, outbox.renew(Set.of(a.token()), Duration.ofSeconds(60)), "a's heartbeat renews nothing");
        assertEquals(0, outbox.handBack(a, Duration.ZERO), "a's hand-back changes nothing");

        Outbox.Recorded current = outbox.record(b, delivered(b, first), "worker-b");
        assertTrue(current.written());
        assertEquals(Set.of(second), current.stillHeld());
        assertFalse(outbox.record(b, delivered(b, first), "worker-b").written(), "one result per claim and delivery");

        assertEquals(List.of("worker-b"), attemptInstances(first), "exactly one recorded result, the holder's");
        assertEquals("DELIVERED", rowStatus(first));
        // The lease is on the database's clock: the second delivery's runs about 10 s from the database's now.
        Duration left = leaseLeft(second);
        assertTrue(left.compareTo(Duration.ofSeconds(5)) > 0 && left.compareTo(Duration.ofMillis(10_500)) <= 0, left::toString);
        assertEquals(1, outbox.handBack(b, Duration.ZERO));
    }

    private static String order(String number, String material) {
        return Orders.erpOrder(number, "P1").replace("MAT-4711", material);
    }

    private static List<String> postInParallel(int count, Function<Integer, String> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> posted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                posted.add(pool.submit(() -> Orders.accept(body.apply(n))));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : posted) {
                ids.add(f.get());
            }
            return Collections.unmodifiableList(ids);
        } finally {
            pool.shutdown();
        }
    }

    private static List<LoggedRequest> slowRequests() {
        return mes().findAll(postRequestedFor(urlEqualTo("/api/work-orders"))
                .withRequestBody(matchingJsonPath("$.productCode", WireMock.equalTo(SLOW_MATERIAL))));
    }

    private static long sendsTo(RecordingDestination destination, String id) {
        return destination.received().stream().filter(r -> id.equals(r.idempotencyKey())).count();
    }

    private static String acceptSalesOrder() {
        String body = """
                {"orderId": "SO-%s", "account": {"id": "C-1001", "name": "Example Tools Ltd"}, "createdAt": "2026-11-25",
                 "deliveryPlant": "P1", "wantedBy": "2026-12-10", "stage": "open",
                 "items": [{"pos": 10, "product": "MAT-4711", "qty": 100, "uom": "PCS"}]}""".formatted(Orders.nextOrderNumber());
        return given().contentType("application/json").body(body).post("/inbound/crm/sales-orders")
                .then().statusCode(202).extract().path("id");
    }

    private static Set<Long> ids(Outbox.Claim claim) {
        return claim.deliveries().stream().map(Outbox.Claimed::id).collect(Collectors.toSet());
    }

    private static Outbox.Attempt delivered(Outbox.Claim claim, long id) {
        Outbox.Claimed d = claim.deliveries().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
        return new Outbox.Attempt(d, Instant.now(), 5, OutcomeClass.DELIVERED, Outbox.Status.DELIVERED, null, 200,
                null, null, null);
    }

    /** A message and its delivery to {@code destination}, due now, written as the hub writes them. */
    private long insertDelivery(String destination) {
        String messageId = UUID.randomUUID().toString();
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO message (id, source_system, source_message_id, "
                    + "type, received_at, envelope) VALUES (?, 'lease-test', ?, 'ProductionOrder', CURRENT_TIMESTAMP, '{}')")) {
                ps.setString(1, messageId);
                ps.setString(2, messageId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (message_id, destination, status, "
                    + "attempts, cycle_attempts, next_attempt_at, created_at) "
                    + "VALUES (?, ?, 'PENDING', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                ps.setString(1, messageId);
                ps.setString(2, destination);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE message_id = ?")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private List<String> attemptInstances(long deliveryId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT instance FROM delivery_attempt WHERE delivery_id = ?")) {
                ps.setLong(1, deliveryId);
                List<String> instances = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        instances.add(rs.getString(1));
                    }
                }
                return instances;
            }
        });
    }

    private String rowStatus(long deliveryId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status FROM delivery WHERE id = ?")) {
                ps.setLong(1, deliveryId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private Duration leaseLeft(long deliveryId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT claimed_until, CURRENT_TIMESTAMP FROM delivery WHERE id = ?")) {
                ps.setLong(1, deliveryId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Duration.between(rs.getTimestamp(2).toInstant(), rs.getTimestamp(1).toInstant());
                }
            }
        });
    }
}
