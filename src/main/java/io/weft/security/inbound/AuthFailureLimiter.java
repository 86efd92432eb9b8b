package io.weft.security.inbound;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.weft.api.Problem;
import io.weft.audit.AuditTrail;
import io.weft.security.operators.Operators;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unauthenticated floods (OWASP API2, API4): each remote address may fail to authenticate (any 401 on
 * {@code /inbound} or {@code /api}) {@code weft.security.auth-failures.burst} times, then
 * {@code weft.security.auth-failures.per-minute} times a minute; past that, its requests are answered 429 with
 * Retry-After before anything else runs: no PBKDF2, no token check, no audit row per request (one when the limit
 * is reached). A credential Weft already verified since its start (kept as a digest in memory) still passes, so a
 * system or operator behind the same address as the flood goes on working.
 */
@ApplicationScoped
public class AuthFailureLimiter {
    private static final Logger LOG = Logger.getLogger(AuthFailureLimiter.class);
    /** Addresses tracked at most; beyond, the fully refilled ones are forgotten (a spoofed-address flood cannot fill memory). */
    private static final int MAX_ADDRESSES = 10_000;

    @ConfigProperty(name = "weft.security.auth-failures.burst", defaultValue = "20")
    int burst;
    @ConfigProperty(name = "weft.security.auth-failures.per-minute", defaultValue = "30")
    double perMinute;
    @Inject
    InboundAuthenticator inbound;
    @Inject
    Operators operators;
    @Inject
    AuditTrail audit;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        // Before RESTEasy and Quarkus's authentication: a refused request costs a map lookup.
        router.route().order(Integer.MIN_VALUE + 1000).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (perMinute <= 0 || !(path.startsWith("/inbound/") || path.startsWith("/api/"))
                || ctx.request().remoteAddress() == null) {
            ctx.next();
            return;
        }
        String remote = ctx.request().remoteAddress().hostAddress();
        Bucket bucket = buckets.get(remote);
        long wait = bucket == null ? 0 : bucket.waitSeconds();
        if (wait > 0 && !alreadyVerified(ctx)) {
            Problem problem = Problem.of(429, "too-many-failed-authentications", "Too many failed authentications",
                    "requests from " + remote + " failed to authenticate more than " + burst + " times; try again in "
                            + wait + " s (weft.security.auth-failures.*)").at(path);
            ctx.response().setStatusCode(429).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Retry-After", String.valueOf(wait)).end(Json.encode(problem));
            return;
        }
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 401) {
                failed(remote, ctx.request().method() + " " + path);
            }
        });
        ctx.next();
    }

    private void failed(String remote, String endpoint) {
        if (buckets.size() >= MAX_ADDRESSES) {
            buckets.values().removeIf(Bucket::full);
        }
        Bucket bucket = buckets.computeIfAbsent(remote, r -> new Bucket(burst, perMinute / 60));
        if (bucket.take()) {
            LOG.warnf("%s failed to authenticate %d times: its requests are refused with 429 for a while", remote, burst);
            audit.recordRefusal(AuditTrail.Entry.of("anonymous", "auth-flood-limited", "address " + remote,
                    AuditTrail.REFUSED, remote, endpoint, "more than " + burst + " failed authentications"));
        }
    }

    /** An API key or operator password Weft verified before: checking it again costs a digest, not a PBKDF2. */
    private boolean alreadyVerified(RoutingContext ctx) {
        String key = ctx.request().getHeader("X-Api-Key");
        if (key != null) {
            return inbound.alreadyVerified(key);
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon > 0 && operators.alreadyVerified(pair.substring(0, colon), pair.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** A token bucket of failures: {@code burst} deep, refilled at {@code perSecond}. */
    private static final class Bucket {
        private final double capacity;
        private final double perSecond;
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(int capacity, double perSecond) {
            this.capacity = Math.max(1, capacity);
            this.perSecond = perSecond;
            this.tokens = this.capacity;
        }

        private void refill() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
        }

        /** Counts one failure; true when this one empties the bucket (the address is limited from now on). */
        synchronized boolean take() {
            refill();
            boolean had = tokens >= 1;
            tokens = Math.max(0, tokens - 1);
            return had && tokens < 1;
        }

        synchronized long waitSeconds() {
            refill();
            return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }

        synchronized boolean full() {
            refill();
            return tokens >= capacity;
        }
    }
}
