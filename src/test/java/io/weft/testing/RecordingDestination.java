package io.weft.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plant system's HTTP API as a real server on a loopback port (JDK HttpServer), for tests that run Weft as a
 * separate process. It records every request it receives (Idempotency-Key, body, the status it answered) in
 * arrival order, and answers as the test programs it: a fixed latency, and 503 for a message's first attempt
 * when asked to.
 */
public final class RecordingDestination implements AutoCloseable {

    /** One request as received, and what this destination answered. */
    public record Received(int seq, Instant at, String method, String path, String idempotencyKey,
                           String traceparent, String body, int status) {
        public boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    /** How to answer one request: the {@code attempt}-th (1-based) with this Idempotency-Key. */
    @FunctionalInterface
    public interface Answer {
        int status(String idempotencyKey, int attempt);
    }

    static {
        // Without TCP_NODELAY the JDK server's small answers wait on the client's delayed ACK (about 40 ms each).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final String path;
    private HttpServer server;
    private final ExecutorService executor;
    private final List<Received> received = new ArrayList<>();
    private final ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long latencyMillis;
    private volatile Answer answer;

    private RecordingDestination(String name, String path, int okStatus) {
        this.name = name;
        this.path = path;
        this.answer = (key, attempt) -> okStatus;
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, name + "-destination");
            t.setDaemon(true);
            return t;
        });
        server = listen(0);
    }

    private HttpServer listen(int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
            http.createContext(path, this::handle);
            http.setExecutor(executor);
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The system goes down: connections to its port are refused until {@link #comeBack()}. */
    public synchronized void goDown() {
        server.stop(0);
    }

    /** The system is back, on the same port. */
    public synchronized void comeBack() {
        server = listen(server.getAddress().getPort());
        server.start();
    }

    /** Starts a destination that answers {@code okStatus} to every request under {@code path}. */
    public static RecordingDestination start(String name, String path, int okStatus) {
        RecordingDestination destination = new RecordingDestination(name, path, okStatus);
        destination.server.start();
        return destination;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Each answer is sent this long after the request arrived (a slow system). */
    public RecordingDestination latency(long millis) {
        this.latencyMillis = millis;
        return this;
    }

    public RecordingDestination answer(Answer answer) {
        this.answer = answer;
        return this;
    }

    /** Everything received so far, in arrival order. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until no request is being answered, e.g. after the caller was killed mid-request. */
    public void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " still answering " + inFlight.get() + " requests after " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            int attempt = attempts.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger()).incrementAndGet();
            int status = answer.status(key, attempt);
            if (latencyMillis > 0) {
                try {
                    Thread.sleep(latencyMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // Recorded before the answer leaves: whoever has read the answer finds it here.
            synchronized (this) {
                received.add(new Received(received.size(), Instant.now(), exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), key, exchange.getRequestHeaders().getFirst("traceparent"),
                        body, status));
            }
            byte[] reply = ("{\"received\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        } catch (IOException e) {
            // The caller went away (e.g. it was killed mid-request); what it sent is recorded.
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " at " + baseUrl();
    }
}
