package io.weft.journal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.weft.delivery.DeliveriesCommitted;
import io.weft.store.Store;
import io.weft.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit of publications. Request threads hand their journal entry here and wait; one writer thread
 * takes whatever has queued up (up to {@link #MAX_BATCH}), writes it in a single transaction, on stable storage
 * when it returns ({@link Store#inDurableTransaction}: on H2 one file sync per batch), and only then
 * completes each waiter. Under load this turns a thousand commits a second into a few dozen, which is what
 * lets one PostgreSQL keep up; when idle a batch is a single message and nothing waits for company.
 * If a batch fails, its entries are retried one transaction each, so one bad entry fails only itself. After a
 * commit it fires {@link DeliveriesCommitted}, which wakes the destinations' delivery lanes.
 */
@ApplicationScoped
public class PublishWriter {
    private static final Logger LOG = Logger.getLogger(PublishWriter.class);
    static final int MAX_BATCH = 256;

    private record Pending(Journal.Entry entry, CompletableFuture<PublishResult> result) {
    }

    @Inject
    Store store;
    @Inject
    Event<DeliveriesCommitted> committed;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(10_000);
    private volatile boolean running;
    private Thread writer;

    void start(@Observes StartupEvent ignored) {
        running = true;
        writer = new Thread(this::writeLoop, "weft-publish-writer");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        writer.join(5_000);
    }

    public CompletableFuture<PublishResult> submit(Journal.Entry entry) {
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending(entry, result))) {
            result.completeExceptionally(new StoreException("the journal is not accepting messages (overloaded or stopping)"));
        }
        return result;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("publish writer failed a batch", e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        Map<Pending, PublishResult> results;
        try {
            results = store.inDurableTransaction(c -> writeBatch(c, batch));
        } catch (StoreException e) {
            if (batch.size() == 1) {
                retryAlone(batch.get(0));
                return;
            }
            LOG.debugf("batch of %d failed (%s); writing one by one", batch.size(), e.getMessage());
            batch.forEach(this::retryAlone);
            return;
        }
        announce(batch, results);
    }

    /**
     * A lone retry, so one bad entry fails only itself (and a connection the database dropped gets a second
     * chance). A message journaled already is no failure: the insert skips it and the answer names its id.
     */
    private void retryAlone(Pending pending) {
        try {
            Map<Pending, PublishResult> result = store.inDurableTransaction(c -> writeBatch(c, List.of(pending)));
            announce(List.of(pending), result);
        } catch (StoreException e) {
            pending.result().completeExceptionally(e);
        }
    }

    private Map<Pending, PublishResult> writeBatch(Connection c, List<Pending> batch) throws SQLException {
        Map<String, Pending> firstInBatch = new HashMap<>();
        List<Pending> fresh = new ArrayList<>();
        Map<Pending, Pending> sameAsEarlierInBatch = new HashMap<>();
        for (Pending p : batch) {
            var envelope = p.entry().envelope();
            Pending earlier = firstInBatch.putIfAbsent(dedupeKey(envelope.sourceSystem(), envelope.sourceMessageId()), p);
            if (earlier == null) {
                fresh.add(p);
            } else {
                sameAsEarlierInBatch.put(p, earlier);
            }
        }
        Set<String> inserted = Journal.insertNew(c, fresh.stream().map(Pending::entry).toList());
        Map<Pending, PublishResult> results = new HashMap<>();
        for (Pending p : fresh) {
            var envelope = p.entry().envelope();
            if (inserted.contains(envelope.id())) {
                results.put(p, new PublishResult(envelope.id(), false));
            } else {
                // Journaled before (a re-sent message): answer with the id it got then.
                String existing = Journal.findBySourceMessage(c, envelope.sourceSystem(), envelope.sourceMessageId())
                        .orElseThrow(() -> new SQLException("message " + envelope.id() + " was neither journaled "
                                + "nor found as a duplicate of " + envelope.sourceSystem() + " "
                                + envelope.sourceMessageId()));
                results.put(p, new PublishResult(existing, true));
            }
        }
        sameAsEarlierInBatch.forEach((duplicate, first) ->
                results.put(duplicate, new PublishResult(results.get(first).id(), true)));
        return results;
    }

    private static String dedupeKey(String sourceSystem, String sourceMessageId) {
        return sourceSystem + '\u0000' + sourceMessageId;
    }

    private void announce(List<Pending> batch, Map<Pending, PublishResult> results) {
        Set<String> destinations = new LinkedHashSet<>();
        for (Pending p : batch) {
            PublishResult r = results.get(p);
            if (!r.duplicate()) {
                destinations.addAll(p.entry().destinations());
            }
            p.result().complete(r);
        }
        if (!destinations.isEmpty()) {
            committed.fire(new DeliveriesCommitted(destinations));
        }
    }
}
