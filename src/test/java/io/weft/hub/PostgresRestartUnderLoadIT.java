package io.weft.hub;

import io.weft.testing.Auth;
import io.weft.testing.Orders;
import io.weft.testing.PostgresDatabase;
import io.weft.testing.PrivatePostgres;
import io.weft.testing.RecordingDestination;
import io.weft.testing.Settle;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged Weft on a PostgreSQL of the test's own, ERP orders posted from several threads without pause, and
 * PostgreSQL stopped (fast shutdown: connections cut) for a few seconds and started again under that load. Every
 * order answered 202 is journaled and delivered to the MES exactly once and written for the WMS; a request during
 * the outage gets 503 application/problem+json with Retry-After; no request gets any other 5xx.
 */
class PostgresRestartUnderLoadIT {
    private static final int THREADS = 4;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();
    @RegisterExtension
    static final PrivatePostgres POSTGRES = new PrivatePostgres();

    record Answer(String order, int status, String contentType, String retryAfter, String id, String body) {
    }

    @Test
    void everyAcceptedOrderIsDeliveredOnceAndTheOutageIsAnswered503() throws Exception {
        String db = POSTGRES.createDatabase("weft_restart");
        Path wms = Files.createTempDirectory("weft-pg-restart-wms-");
        try (RecordingDestination mes = RecordingDestination.start("mes", "/api/work-orders", 201)) {
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.profile", "pg");
            config.put("quarkus.datasource.pg.jdbc.url", db);
            config.put("quarkus.datasource.pg.username", "postgres");
            config.put("quarkus.datasource.pg.password", PostgresDatabase.CANARY_PASSWORD);
            config.put("weft.instance-id", "pg-restart-it");
            config.put("weft.systems.mes.url", mes.baseUrl());
            config.put("weft.systems.wms.inbox", "file:" + wms.resolve("inbox"));
            config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
            config.put("weft.delivery.initial-backoff", "300ms");
            config.put("weft.delivery.max-backoff", "1s");
            config.put("weft.delivery.max-attempts", "50");
            config.put("weft.delivery.poll-interval", "100ms");
            // A request must not wait long for a pooled connection while the database is away.
            config.put("quarkus.datasource.pg.jdbc.acquisition-timeout", "2s");
            WeftProcess process = weft.start("pg-restart", config).awaitReady(Duration.ofSeconds(90));

            // Read while the senders add to it: a copy-on-write list, so a wait can stream over it.
            List<Answer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService load = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                senders.add(load.submit(() -> send(process.uri(), loading, answers)));
            }
            Thread.sleep(4000);
            int beforeOutage = answers.size();
            POSTGRES.restart(Duration.ofSeconds(4));
            // Load goes on until requests are accepted again for a while after the restart.
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream().skip(beforeOutage)
                    .filter(a -> a.status() == 202).count() > 0 && lastAccepted(answers, 20));
            loading.set(false);
            for (Future<?> sender : senders) {
                sender.get(60, TimeUnit.SECONDS);
            }
            load.shutdown();

            Map<Integer, Long> byStatus = new TreeMap<>(answers.stream()
                    .collect(Collectors.groupingBy(Answer::status, Collectors.counting())));
            System.out.println("answers by status: " + byStatus);
            for (Answer answer : answers) {
                assertTrue(answer.status() == 202 || answer.status() == 503, "order " + answer.order() + " got "
                        + answer.status() + ": " + answer.body());
                if (answer.status() == 503) {
                    assertTrue(answer.contentType() != null && answer.contentType().startsWith("application/problem+json"),
                            "503 as problem+json: " + answer.contentType());
                    assertTrue(answer.retryAfter() != null && answer.retryAfter().matches("\\d+"), "Retry-After: " + answer.retryAfter());
                }
            }
            assertTrue(byStatus.getOrDefault(503, 0L) >= 1, "requests reached Weft while PostgreSQL was down: " + byStatus);
            Set<String> accepted = answers.stream().filter(a -> a.status() == 202).map(Answer::id).collect(Collectors.toSet());
            assertEquals(byStatus.get(202).intValue(), accepted.size(), "each 202 names its own message");
            assertTrue(accepted.size() >= 20, "orders accepted: " + accepted.size());

            // Every accepted order reaches the MES exactly once (a later duplicate is looked for), and the WMS.
            Settle.awaitAndHold(Duration.ofSeconds(120), () -> {
                Map<String, Long> deliveredToMes = mes.received().stream().filter(RecordingDestination.Received::accepted)
                        .collect(Collectors.groupingBy(RecordingDestination.Received::idempotencyKey, Collectors.counting()));
                for (String id : accepted) {
                    assertEquals(1L, deliveredToMes.getOrDefault(id, 0L), "MES deliveries of " + id);
                }
                deliveredToMes.forEach((id, n) -> assertEquals(1L, n, "MES deliveries of " + id));
            });
            for (String id : accepted) {
                assertTrue(Files.isRegularFile(wms.resolve("outbox").resolve("ProductionOrder-" + id + ".csv")), "WMS file of " + id);
            }
            try (Connection c = DriverManager.getConnection(db, "postgres", ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM message")) {
                Set<String> journaled = new java.util.HashSet<>();
                while (rs.next()) {
                    journaled.add(rs.getString(1));
                }
                long[] mesCounts = io.weft.testing.FaultLedger.distinctAndDuplicates(
                        mes.received().stream().filter(RecordingDestination.Received::accepted).toList(),
                        RecordingDestination.Received::idempotencyKey);
                io.weft.testing.FaultLedger.record("PostgreSQL restarted under load (4 senders)", "POSTGRES",
                        accepted.size(), journaled.size(), mesCounts[0], mesCounts[1],
                        byStatus.getOrDefault(503, 0L) + " requests answered 503 during the outage");
                assertTrue(journaled.containsAll(accepted), "every accepted order is in the journal");
            }
            assertTrue(process.isAlive(), "Weft survived the database restart");
        }
    }

    /** Whether the last {@code n} answers were all 202 (the hub is back to normal). */
    private static boolean lastAccepted(List<Answer> answers, int n) {
        synchronized (answers) {
            return answers.size() >= n && answers.subList(answers.size() - n, answers.size()).stream()
                    .allMatch(a -> a.status() == 202);
        }
    }

    private static void send(URI weft, AtomicBoolean loading, List<Answer> answers) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (loading.get()) {
            String order = Orders.nextOrderNumber();
            HttpRequest request = HttpRequest.newBuilder(weft.resolve("/inbound/erp/production-orders"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").headers(Auth.headers(Auth.erp()))
                    .POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(order, "P1"))).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher id = ID.matcher(response.body());
                answers.add(new Answer(order, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                        response.headers().firstValue("Retry-After").orElse(null), id.find() ? id.group(1) : null,
                        response.body()));
                if (response.statusCode() != 202) {
                    Thread.sleep(50); // a sender that was told to retry later does not hammer
                }
            } catch (java.io.IOException e) {
                answers.add(new Answer(order, -1, null, null, null, e.toString()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
