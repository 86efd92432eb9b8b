package io.weft.inbound;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.hub.Hub;
import io.weft.systems.RoutingException;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;
import io.weft.observe.Tracing;
import io.weft.observe.WeftMetrics;
import io.weft.store.StoreException;
import io.weft.systems.KnownSystems;
import io.weft.systems.RouteCalls;
import io.weft.journal.PublishResult;
import io.weft.hub.StoredLimits;
import io.weft.hub.UnstorableValueException;
import io.weft.mapping.Mappings;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultExchange;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weft's HTTP edge for systems that push: {@code POST /inbound/<system>/<resource>} hands the body to the
 * system's inbound route {@code <system>-in-<resource>} (declared in {@code routes/systems/<system>.camel.yaml})
 * and answers 202 only after that route's publish step committed the message. Checks that need no mapping
 * (size, content type, well-formed JSON or XML as {@code weft.systems.<system>.inbound-format} says) are done here, before anything reaches a route, so every spoke
 * gets the same problem answers; this edge is also where per-system credentials will be enforced.
 */
@Path("/inbound")
@Tag(name = "inbound", description = "Systems that push their messages to Weft")
public class InboundResource {

    @Inject
    KnownSystems systems;
    @Inject
    CamelContext camel;
    @Inject
    RouteCalls routes;
    @Inject
    ObjectMapper json;
    @Inject
    WeftMetrics metrics;
    @ConfigProperty(name = "weft.inbound.max-body-bytes")
    int maxBodyBytes;
    @ConfigProperty(name = "weft.inbound.max-depth", defaultValue = "64")
    int maxDepth;

    /** Each system's inbound format, read from the configuration once instead of on every request. */
    private final Map<String, InboundFormat> formats = new ConcurrentHashMap<>();

    @POST
    @Path("/{system}/{resource}")
    @Operation(summary = "A system posts one message (or a CSV file of rows) in its own format; answered 202 only "
            + "after the message is journaled and its deliveries are queued, with {id, duplicate} and Location")
    @APIResponse(responseCode = "202", description = "Accepted and committed: {\"id\": ..., \"duplicate\": false}; "
            + "a message seen before (same Idempotency-Key or source id) answers its first id with duplicate true")
    @APIResponse(responseCode = "400", description = "Malformed body, or not valid for the mapping or the schema "
            + "(problem+json naming each violation); nothing stored")
    @APIResponse(responseCode = "401", description = "No or wrong credentials for the system (WWW-Authenticate)")
    @APIResponse(responseCode = "403", description = "Another system's identity, or a type it may not publish")
    @APIResponse(responseCode = "404", description = "No inbound route <system>-in-<resource>")
    @APIResponse(responseCode = "413", description = "Body larger than the system's limit")
    @APIResponse(responseCode = "415", description = "Content type not the system's format")
    @APIResponse(responseCode = "429", description = "Over the system's rate limit (Retry-After)")
    @APIResponse(responseCode = "503", description = "The journal is unavailable; send again (nothing was stored)")
    public Response receive(@Parameter(description = "The sending system, e.g. erp") @PathParam("system") String system,
                            @Parameter(description = "What it sends, e.g. production-orders") @PathParam("resource") String resource,
                            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
                            @Parameter(description = "The source's own message id: a message posted again with it is "
                                    + "recognised and not delivered twice") @HeaderParam("Idempotency-Key") String idempotencyKey,
                            @Parameter(description = "Correlation id carried to every delivery") @HeaderParam("X-Correlation-Id") String correlationId,
                            @Parameter(description = "The system's API version, where it has several mappings")
                            @HeaderParam("X-Api-Version") String apiVersion,
                            InputStream body) {
        Route route = route(system, resource);
        try {
            return accept(route, new InboundHeaders(system, contentType, contentLength, idempotencyKey, correlationId,
                    apiVersion), body);
        } catch (RuntimeException e) {
            count(system, e);
            throw e;
        }
    }

    private Response accept(Route route, InboundHeaders headers, InputStream body) {
        String system = headers.system();
        InboundFormat format = formats.computeIfAbsent(system, InboundFormat::of);
        format.requireContentType(headers.contentType());
        byte[] raw = readBounded(body, headers.contentLength());
        InboundFormat.requireUtf8Charset(headers.contentType(), raw);
        String text = BodyChecks.utf8(raw);
        if (format == InboundFormat.XML) {
            BodyChecks.requireXml(raw, maxDepth);
        } else {
            BodyChecks.requireJson(json.getFactory(), raw, maxDepth);
        }
        headers.requireStorable();
        String idempotencyKey = headers.idempotencyKey();
        String correlationId = headers.correlationId();
        String apiVersion = headers.apiVersion();

        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(text);
        exchange.getMessage().setHeader(Hub.SOURCE_SYSTEM, system);
        exchange.getMessage().setHeader(Hub.RAW_DIGEST, sha256(raw));
        if (idempotencyKey != null) {
            exchange.getMessage().setHeader(Hub.SOURCE_MESSAGE_ID, idempotencyKey);
        }
        if (correlationId != null) {
            exchange.getMessage().setHeader(Hub.CORRELATION_ID, correlationId);
        }
        // Camel's tracing takes its parent from the exchange: continue the HTTP request's trace.
        String traceparent = Tracing.currentTraceparent();
        if (traceparent != null) {
            exchange.getMessage().setHeader("traceparent", traceparent);
        }
        if (apiVersion != null) {
            // The route picks the mapping of this version (bean:mapper?method=mapVersioned).
            exchange.getMessage().setHeader(Mappings.API_VERSION_HEADER, apiVersion);
        }
        Exchange done = routes.call(route.getEndpoint(), exchange);
        if (done.getException() != null) {
            throw unwrap(done.getException());
        }
        PublishResult result = done.getMessage().getBody(PublishResult.class);
        if (result == null) {
            throw new IllegalStateException("inbound route " + route.getRouteId()
                    + " did not end with the publish step (bean:hub?method=publish)");
        }
        // Written out rather than serialised by Jackson: two fixed fields (the id is a UUID), on every request.
        String answer = "{\"id\":\"" + result.id() + "\",\"duplicate\":" + result.duplicate() + "}";
        return Response.accepted(answer)
                .location(URI.create("/api/messages/" + result.id()))
                .type(MediaType.APPLICATION_JSON).build();
    }

    private void count(String system, RuntimeException e) {
        WeftMetrics.Rejection reason;
        // The routing failure and the unstorable value are problems too: asked first, so each keeps its reason.
        if (e instanceof RoutingException) {
            reason = WeftMetrics.Rejection.ROUTING;
        } else if (e instanceof UnstorableValueException) {
            reason = WeftMetrics.Rejection.UNSTORABLE;
        } else if (e instanceof ProblemException p) {
            reason = switch (p.problem().status()) {
                case 413 -> WeftMetrics.Rejection.TOO_LARGE;
                case 415 -> WeftMetrics.Rejection.MEDIA_TYPE;
                default -> WeftMetrics.Rejection.MALFORMED;
            };
        } else if (e instanceof MappingException) {
            reason = WeftMetrics.Rejection.MAPPING;
            metrics.mappingFailure(system, "in");
        } else if (e instanceof SchemaViolationException) {
            reason = WeftMetrics.Rejection.SCHEMA;
        } else if (e instanceof io.weft.security.PublishRights.NotGranted) {
            reason = WeftMetrics.Rejection.NOT_GRANTED;
        } else if (e instanceof StoreException) {
            reason = WeftMetrics.Rejection.STORE;
        } else {
            reason = WeftMetrics.Rejection.OTHER;
        }
        metrics.rejected(system, reason);
    }

    private Route route(String system, String resource) {
        if (!KnownSystems.NAME.matcher(system).matches() || !KnownSystems.NAME.matcher(resource).matches()) {
            throw new ProblemException(Problem.of(404, "unknown-inbound", "Unknown inbound resource",
                    "System and resource names are lower-case letters, digits and dashes"));
        }
        return systems.inboundRoute(system, resource)
                // Only routes that start from direct: are served over HTTP; a system's file or polling routes
                // (e.g. wms-in-goods-receipts, from a folder) are not an HTTP resource.
                .filter(r -> r.getEndpoint().getEndpointUri().startsWith("direct:")).orElseThrow(() -> new ProblemException(Problem.of(404,
                "unknown-inbound", "Unknown inbound resource", "No inbound route " + system + "-in-" + resource
                        + " is defined; systems that send: " + systems.sources())));
    }

    private byte[] readBounded(InputStream body, Long declaredLength) {
        if (declaredLength != null && declaredLength > maxBodyBytes) {
            throw tooLarge(declaredLength);
        }
        try (InputStream in = body) {
            byte[] raw = in == null ? new byte[0] : in.readNBytes(maxBodyBytes + 1);
            if (raw.length > maxBodyBytes) {
                throw tooLarge(null);
            }
            if (raw.length == 0) {
                throw new ProblemException(Problem.of(400, "empty-body", "Empty body", "The request has no body"));
            }
            return raw;
        } catch (IOException e) {
            // The sender stopped sending (a connection closed mid-body): there is no whole message to take.
            throw new ProblemException(Problem.of(400, "truncated-body", "Incomplete body",
                    "The body could not be read to its end: " + e.getMessage()));
        }
    }

    private ProblemException tooLarge(Long declared) {
        return new ProblemException(Problem.of(413, "body-too-large", "Body too large",
                "The body" + (declared == null ? "" : " (" + declared + " bytes)") + " exceeds the limit of "
                        + maxBodyBytes + " bytes (weft.inbound.max-body-bytes)"));
    }

    /** Camel may wrap what a route step threw; answer with the Weft failure inside, if there is one. */
    private static RuntimeException unwrap(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getPackageName().startsWith("io.weft") && t instanceof RuntimeException r) {
                return r;
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    private static String sha256(byte[] raw) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
