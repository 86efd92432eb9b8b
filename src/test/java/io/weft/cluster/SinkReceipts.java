package io.weft.cluster;

import io.weft.testing.RecordingDestination;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a sink of {@link LoadBalancedClusterIT} received, per message (its Idempotency-Key is the message id). */
final class SinkReceipts {
    private SinkReceipts() {
    }

    /** Accepted receipts per Idempotency-Key (the message id), of the given messages only. */
    static Map<String, Long> receipts(RecordingDestination sink, Set<String> ids) {
        return sink.received().stream().filter(RecordingDestination.Received::accepted)
                .filter(r -> ids.contains(r.idempotencyKey()))
                .collect(Collectors.groupingBy(RecordingDestination.Received::idempotencyKey, Collectors.counting()));
    }

    /**
     * Messages the sink received other than once: missing, or more than once, except a delivery the killed
     * instance had claimed, which a survivor may send a second time when the dead one had sent it before its end.
     */
    static Map<String, Long> notOnce(RecordingDestination sink, Set<String> ids, Set<String> claimed, String destination) {
        Map<String, Long> perKey = receipts(sink, ids);
        Map<String, Long> wrong = new TreeMap<>();
        for (String id : ids) {
            long n = perKey.getOrDefault(id, 0L);
            if (n != 1 && !(n == 2 && claimed.contains(id + "/" + destination))) {
                wrong.put(id, n);
            }
        }
        return wrong;
    }

    static long resent(RecordingDestination sink, Set<String> claimed, String destination) {
        return sink.received().stream().filter(RecordingDestination.Received::accepted)
                .filter(r -> claimed.contains(r.idempotencyKey() + "/" + destination))
                .collect(Collectors.groupingBy(RecordingDestination.Received::idempotencyKey, Collectors.counting()))
                .values().stream().mapToLong(n -> n - 1).sum();
    }

    static long extra(Map<String, Long> perKey) {
        return perKey.values().stream().mapToLong(n -> n - 1).sum();
    }
}
