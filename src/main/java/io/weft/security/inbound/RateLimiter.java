package io.weft.security.inbound;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per second per system (OWASP API4), as a token bucket holding one second's worth: a system may
 * send a short burst up to its rate, then as fast as its rate refills. Each system has its own bucket, so
 * one flooding system is answered 429 while the others go on.
 */
@ApplicationScoped
public class RateLimiter {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** 0 if the request may go ahead, else the whole seconds until it may (for Retry-After). */
    public long acquire(String system, double perSecond) {
        if (perSecond <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(system, s -> new Bucket(perSecond)).take();
    }

    private static final class Bucket {
        private final double perSecond;
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(double perSecond) {
            this.perSecond = perSecond;
            this.tokens = Math.max(1, perSecond);
        }

        synchronized long take() {
            long now = System.nanoTime();
            tokens = Math.min(Math.max(1, perSecond), tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }
}
