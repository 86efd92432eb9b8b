package io.weft.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.envelope.Envelope;
import io.weft.envelope.TimeOrderedIds;
import io.weft.envelope.WeftHeaders;
import io.weft.journal.Journal;
import io.weft.journal.PublishResult;
import io.weft.journal.PublishWriter;
import io.weft.mapping.CanonicalSchemas;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;
import io.weft.observe.Tracing;
import io.weft.observe.WeftMetrics;
import io.weft.store.StoreException;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.jboss.logging.MDC;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publish step every inbound route ends with ({@code - to: bean:hub?method=publish}): validate the
 * canonical message against its schema, wrap it in the envelope, ask the router for its destinations and
 * journal it with one outbox delivery per destination in one transaction. Returns only after the commit,
 * so whatever acknowledges the source afterwards acknowledges something durable.
 *
 * <p>Exchange headers read: {@link #SOURCE_SYSTEM} and {@link #TYPE} (required),
 * {@link #SOURCE_MESSAGE_ID} (the source's own id; without it the digest of the raw input is used, so a
 * re-sent identical message is recognised), {@link #CORRELATION_ID}. The body is the canonical payload as
 * JSON text. Afterwards the body is the {@link PublishResult}.
 */
@ApplicationScoped
@Named("hub")
public class Hub {
    public static final String SOURCE_SYSTEM = WeftHeaders.SOURCE_SYSTEM;
    public static final String TYPE = WeftHeaders.TYPE;
    public static final String SOURCE_MESSAGE_ID = WeftHeaders.SOURCE_MESSAGE_ID;
    public static final String RAW_DIGEST = WeftHeaders.RAW_DIGEST;
    public static final String CORRELATION_ID = WeftHeaders.CORRELATION_ID;

    @Inject
    ObjectMapper json;
    @Inject
    CanonicalSchemas schemas;
    @Inject
    HubRouter router;
    @Inject
    PublishWriter writer;
    @Inject
    KnownSystems systems;
    @Inject
    WeftMetrics metrics;
    @Inject
    SystemPlants plants;
    @Inject
    io.weft.security.PublishRights rights;

    public PublishResult publish(Exchange exchange) {
        putIfKnown("system", exchange.getMessage().getHeader(SOURCE_SYSTEM, String.class));
        putIfKnown("routeId", exchange.getFromRouteId());
        try {
            return publishLogged(exchange);
        } finally {
            MDC.remove("system");
            MDC.remove("routeId");
            MDC.remove("messageId");
            MDC.remove("correlationId");
        }
    }

    private PublishResult publishLogged(Exchange exchange) {
        var in = exchange.getMessage();
        String system = required(in.getHeader(SOURCE_SYSTEM, String.class), SOURCE_SYSTEM);
        String type = required(in.getHeader(TYPE, String.class), TYPE);
        // Before anything is parsed or stored: a system speaks only for the types it is granted.
        rights.require(system, type);
        String sourceMessageId = in.getHeader(SOURCE_MESSAGE_ID, String.class);
        if (sourceMessageId == null || sourceMessageId.isBlank()) {
            sourceMessageId = required(in.getHeader(RAW_DIGEST, String.class), SOURCE_MESSAGE_ID + " or " + RAW_DIGEST);
        }
        JsonNode data = parseCanonical(in.getBody(String.class));
        try {
            schemas.validate(type, data);
        } catch (SchemaViolationException e) {
            metrics.validationFailure(system, type);
            throw e;
        }

        String id = TimeOrderedIds.next();
        String correlationId = in.getHeader(CORRELATION_ID, String.class);
        Envelope envelope = new Envelope(id, system, plants.sourceOf(system), type,
                schemas.businessKey(type, data), OffsetDateTime.now(ZoneOffset.UTC), "/schemas/" + type + ".schema.json",
                correlationId == null || correlationId.isBlank() ? id : correlationId, sourceMessageId,
                Tracing.currentTraceparent(), data);
        String keyField = schemas.businessKeyField(type);
        // Before the write: a value the journal cannot hold is the sender's error (4xx), not a store failure.
        StoredLimits.check(envelope, keyField == null ? null : "$." + keyField);
        MDC.put("messageId", id);
        MDC.put("correlationId", envelope.correlationId());
        ObjectNode envelopeJson = envelope.toJson(json);
        List<String> destinations = router.destinationsFor(envelope, plainJava(envelopeJson));
        systems.requireDestinations(destinations);

        PublishResult result = await(writer.submit(new Journal.Entry(envelope, envelopeJson.toString(), destinations)));
        if (result.duplicate()) {
            metrics.duplicate(system, type);
        } else {
            metrics.received(system, type);
        }
        exchange.getMessage().setBody(result);
        return result;
    }

    /**
     * The envelope as the router sees it: maps, lists, strings, numbers, booleans and nulls, as Jackson's
     * {@code convertValue(node, Map.class)} gives them, but by walking the tree directly instead of
     * serializing it into a token buffer and binding that.
     */
    static Map<String, Object> plainJava(ObjectNode node) {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 4 / 3 + 1));
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), plainJava(field.getValue()));
        }
        return map;
    }

    private static Object plainJava(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return plainJava((ObjectNode) node);
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(plainJava(element));
                }
                return list;
            case STRING:
                return node.textValue();
            case NUMBER:
                return node.numberValue();
            case BOOLEAN:
                return node.booleanValue();
            case NULL:
            case MISSING:
                return null;
            case BINARY:
            case POJO:
            default:
                return JSON_FALLBACK.convertValue(node, Object.class);
        }
    }

    private static final ObjectMapper JSON_FALLBACK = new ObjectMapper();

    private JsonNode parseCanonical(String body) {
        try {
            JsonNode data = json.readTree(body == null ? "" : body);
            if (data == null || !data.isObject()) {
                throw new MappingException("(inbound route)", null, "the canonical payload must be a JSON object", null);
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new MappingException("(inbound route)", null, "the canonical payload is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static PublishResult await(java.util.concurrent.CompletableFuture<PublishResult> pending) {
        try {
            return pending.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new StoreException(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new StoreException("the journal did not confirm the message within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the journal");
        }
    }

    private static void putIfKnown(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    private static String required(String value, String header) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the inbound route did not set header " + header);
        }
        return value;
    }
}
