package io.weft.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.hub.Hub;
import io.weft.hub.UnstorableValueException;
import io.weft.journal.PublishResult;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import java.util.List;

/**
 * Hands one CSV row, as a one-row table {@code [{"column": "value", ...}]}, to the file's row route (which maps it
 * and ends with {@code bean:hub?method=publish}) and answers what the publish answered. A failure of the row's own
 * data (its mapping, its schema, a value the journal cannot store) comes back as that exception, for
 * {@link CsvRows} to report the row; anything else fails the file.
 */
@ApplicationScoped
class CsvRowRoute {

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate producer;
    @Inject
    ObjectMapper json;

    PublishResult publish(Exchange fileExchange, CsvFile f, String sourceMessageId, List<String> values) {
        Exchange exchange = new DefaultExchange(camel);
        ArrayNode table = json.createArrayNode().add(row(f.columns, values));
        exchange.getMessage().setBody(table.toString());
        exchange.getMessage().setHeader(Hub.SOURCE_SYSTEM, f.system);
        exchange.getMessage().setHeader(Hub.SOURCE_MESSAGE_ID, sourceMessageId);
        Object traceparent = fileExchange.getMessage().getHeader("traceparent");
        if (traceparent != null) {
            exchange.getMessage().setHeader("traceparent", traceparent);
        }
        Exchange done = producer.send(f.rowRoute, exchange);
        if (done.getException() != null) {
            throw rethrow(done.getException());
        }
        PublishResult result = done.getMessage().getBody(PublishResult.class);
        if (result == null) {
            throw new IllegalStateException("row route " + f.rowRoute + " did not end with bean:hub?method=publish");
        }
        return result;
    }

    private ObjectNode row(List<String> columns, List<String> values) {
        ObjectNode row = json.createObjectNode();
        for (int c = 0; c < columns.size(); c++) {
            // Every value as text, an empty one as "": what formats.csvToJson gives a mapping for a whole table.
            row.put(columns.get(c), values.get(c));
        }
        return row;
    }

    /** Camel may wrap what the row route threw; rethrow the Weft failure inside, if there is one. */
    private static RuntimeException rethrow(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MappingException m) {
                return m;
            }
            if (t instanceof SchemaViolationException s) {
                return s;
            }
            if (t instanceof UnstorableValueException u) {
                return u;
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
}
