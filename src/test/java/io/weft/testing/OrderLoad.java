package io.weft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady load of ERP production orders, as an ERP sends them: each sender posts orders with unique numbers at
 * its share of a fixed rate, and a request that fails (a 5xx, a broken connection) is sent again after a pause
 * with the same order number, until it is answered 202. Dedupe answers a retry of an order that was committed
 * before its answer was lost with the first id ({@code "duplicate": true}). Every request is recorded.
 */
public final class OrderLoad implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    private static final Duration GIVE_UP = Duration.ofSeconds(90);

    /** One request: when it was sent and answered ({@link System#nanoTime()}), and the answer. */
    public record Attempt(String order, long sentAt, long answeredAt, int status, String id, boolean duplicate,
                          String error) {
        public boolean accepted() {
            return status == 202;
        }
    }

    private final URI endpoint;
    private final long intervalNanos;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> senders = new ArrayList<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<String, String> accepted = new LinkedHashMap<>();
    private final List<String> givenUp = new ArrayList<>();

    private OrderLoad(URI base, int senders, double ordersPerSecond) {
        this.endpoint = base.resolve("/inbound/erp/production-orders");
        this.intervalNanos = (long) (senders * 1e9 / ordersPerSecond);
        for (int i = 0; i < senders; i++) {
            Thread sender = new Thread(this::send, "order-load-" + i);
            sender.setDaemon(true);
            this.senders.add(sender);
        }
    }

    /** Starts {@code senders} threads posting to {@code base} at {@code ordersPerSecond} together. */
    public static OrderLoad start(URI base, int senders, double ordersPerSecond) {
        OrderLoad load = new OrderLoad(base, senders, ordersPerSecond);
        load.senders.forEach(Thread::start);
        return load;
    }

    /** Stops sending new orders; each sender finishes the order in hand (retries included). */
    public void stop() {
        running.set(false);
        for (Thread sender : senders) {
            try {
                sender.join(TimeUnit.SECONDS.toMillis(GIVE_UP.toSeconds() + 30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Every request so far, in the order answered. */
    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Order number to the id it was answered with, for every order answered 202. */
    public synchronized Map<String, String> accepted() {
        return Map.copyOf(accepted);
    }

    /** Orders not accepted within the senders' patience (none, in a healthy cluster). */
    public synchronized List<String> givenUp() {
        return List.copyOf(givenUp);
    }

    public synchronized int acceptedCount() {
        return accepted.size();
    }

    private void send() {
        long next = System.nanoTime();
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += intervalNanos;
            String order = Orders.nextOrderNumber();
            long giveUpAt = System.nanoTime() + GIVE_UP.toNanos();
            while (!post(order).accepted()) {
                if (System.nanoTime() > giveUpAt || Thread.currentThread().isInterrupted()) {
                    synchronized (this) {
                        givenUp.add(order);
                    }
                    break;
                }
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            }
            next = Math.max(next, System.nanoTime() - intervalNanos); // no burst to catch up after a slow request
        }
    }

    private Attempt post(String order) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").headers(Auth.headers(Auth.erp()))
                .POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(order, "P1"))).build();
        long sentAt = System.nanoTime();
        Attempt attempt;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String id = null;
            boolean duplicate = false;
            if (response.statusCode() == 202) {
                JsonNode body = JSON.readTree(response.body());
                id = body.path("id").asText(null);
                duplicate = body.path("duplicate").asBoolean();
            }
            attempt = new Attempt(order, sentAt, System.nanoTime(), response.statusCode(), id, duplicate,
                    response.statusCode() == 202 ? null : abbreviate(response.body()));
        } catch (IOException e) {
            attempt = new Attempt(order, sentAt, System.nanoTime(), -1, null, false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt = new Attempt(order, sentAt, System.nanoTime(), -1, null, false, "interrupted");
        }
        synchronized (this) {
            attempts.add(attempt);
            if (attempt.accepted()) {
                accepted.put(order, attempt.id());
            }
        }
        return attempt;
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
    }
}
