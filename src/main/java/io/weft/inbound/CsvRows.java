package io.weft.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.weft.hub.Hub;
import io.weft.hub.PublishResult;
import io.weft.hub.UnstorableValueException;
import io.weft.journal.Rejections;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;
import io.weft.observe.WeftMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Publishes a dropped CSV file row by row ({@code - to: bean:csvRows?method=publishRows} in a file route): each
 * data line is handed, as a one-row table {@code [{"column": "value", ...}]}, to the row route named by header
 * {@value #ROW_ROUTE}, which maps it and ends with {@code bean:hub?method=publish}.
 *
 * <p>Each row's source message id is {@code <file name>:<line>:<content digest>}, so reading the same file again
 * (Weft stopped mid-file, the file was not yet moved) publishes nothing twice: rows already journaled are
 * acknowledged as duplicates. A row that cannot be read, mapped or validated is recorded in
 * {@link Rejections} and listed in the error report this step leaves as the body (CSV: file, line,
 * problem, content; empty body if every row was published); the other rows flow. Anything else (the journal
 * unavailable) fails the whole file, which then stays in the inbox and is read again at the next poll.
 *
 * <p>Headers read: {@value #ROW_ROUTE} (required), {@value #SEPARATOR} (default {@code ,}),
 * {@code WeftSourceSystem} (required), {@code CamelFileName}. Headers set: {@value #PUBLISHED},
 * {@value #DUPLICATES}, {@value #REJECTED}, {@value #REPORT_NAME}. A quoted value may not span lines (one record per line).
 */
@ApplicationScoped
@Named("csvRows")
public class CsvRows {
    public static final String ROW_ROUTE = "WeftRowRoute";
    public static final String SEPARATOR = "WeftCsvSeparator";
    public static final String PUBLISHED = "WeftRowsPublished";
    public static final String DUPLICATES = "WeftRowsDuplicate";
    public static final String REJECTED = "WeftRowsRejected";
    /** The name of the error report, {@code <file>.errors.csv}, shortened to what a file system takes (255 bytes). */
    public static final String REPORT_NAME = io.weft.envelope.WeftHeaders.CSV_ERROR_REPORT_NAME;

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate producer;
    @Inject
    ObjectMapper json;
    @Inject
    Rejections rejections;

    /** One line of the error report. */
    public record RowProblem(String file, int line, String problem, String content) {
    }

    public void publishRows(Exchange exchange) {
        var in = exchange.getMessage();
        String system = required(in.getHeader(Hub.SOURCE_SYSTEM, String.class), Hub.SOURCE_SYSTEM);
        String rowRoute = required(in.getHeader(ROW_ROUTE, String.class), ROW_ROUTE);
        String separator = in.getHeader(SEPARATOR, ",", String.class);
        String file = in.getHeader(Exchange.FILE_NAME, "(unnamed)", String.class);
        byte[] raw = in.getBody(byte[].class);
        String digest = sha256(raw == null ? new byte[0] : raw).substring(0, 16);
        // Decoded line by line, so that a line that is not UTF-8 is refused on its own.
        List<String> lines = Utf8Lines.split(raw == null ? new byte[0] : raw);

        List<RowProblem> problems = new ArrayList<>();
        int published = 0;
        int duplicates = 0;
        List<String> columns = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNo = i + 1;
            if (line != null && line.isBlank()) {
                continue;
            }
            if (line == null && columns == null) {
                problems.add(new RowProblem(file, lineNo, "the header line is not valid UTF-8", Utf8Lines.lenient(raw, i)));
                break;
            }
            if (line == null) {
                String sourceMessageId = file + ":" + lineNo + ":" + digest;
                RowProblem problem = new RowProblem(file, lineNo, "the line is not valid UTF-8", Utf8Lines.lenient(raw, i));
                problems.add(problem);
                rejections.record(new Rejections.Rejected(system, exchange.getFromRouteId(), null, file, "line " + lineNo,
                        sourceMessageId, WeftMetrics.Rejection.MALFORMED, problem.problem(), null, problem.content()));
                continue;
            }
            if (columns == null) {
                try {
                    columns = values(line, separator);
                } catch (IOException e) {
                    problems.add(new RowProblem(file, lineNo, "the header line is not CSV: " + e.getMessage(), line));
                    break;
                }
                continue;
            }
            String sourceMessageId = file + ":" + lineNo + ":" + digest;
            RowProblem problem;
            WeftMetrics.Rejection reason = WeftMetrics.Rejection.MALFORMED;
            Throwable cause = null;
            try {
                List<String> values = values(line, separator);
                if (values.size() != columns.size()) {
                    problem = new RowProblem(file, lineNo, "expected " + columns.size() + " values (" + String.join(separator, columns)
                            + "), found " + values.size(), line);
                } else {
                    PublishResult result = publishRow(exchange, system, rowRoute, sourceMessageId, row(columns, values));
                    if (result.duplicate()) {
                        duplicates++;
                    } else {
                        published++;
                    }
                    continue;
                }
            } catch (IOException e) {
                problem = new RowProblem(file, lineNo, "not a CSV line: " + e.getMessage(), line);
            } catch (MappingException | SchemaViolationException | UnstorableValueException e) {
                reason = Rejections.reasonOf(e);
                cause = e;
                problem = new RowProblem(file, lineNo, e.getMessage(), line);
            }
            problems.add(problem);
            rejections.record(new Rejections.Rejected(system, exchange.getFromRouteId(), null, file, "line " + lineNo,
                    sourceMessageId, reason, problem.problem(), cause, line));
        }
        if (columns == null && problems.isEmpty()) {
            problems.add(new RowProblem(file, 1, "the file is empty: no header line", ""));
        }
        in.setHeader(PUBLISHED, published);
        in.setHeader(DUPLICATES, duplicates);
        in.setHeader(REJECTED, problems.size());
        in.setHeader(REPORT_NAME, ErrorReport.name(file));
        in.setBody(problems.isEmpty() ? null : ErrorReport.csv(problems, separator));
    }

    private PublishResult publishRow(Exchange fileExchange, String system, String rowRoute, String sourceMessageId,
                                     ObjectNode row) {
        Exchange exchange = new DefaultExchange(camel);
        ArrayNode table = json.createArrayNode().add(row);
        exchange.getMessage().setBody(table.toString());
        exchange.getMessage().setHeader(Hub.SOURCE_SYSTEM, system);
        exchange.getMessage().setHeader(Hub.SOURCE_MESSAGE_ID, sourceMessageId);
        Object traceparent = fileExchange.getMessage().getHeader("traceparent");
        if (traceparent != null) {
            exchange.getMessage().setHeader("traceparent", traceparent);
        }
        Exchange done = producer.send(rowRoute, exchange);
        if (done.getException() != null) {
            throw rethrow(done.getException());
        }
        PublishResult result = done.getMessage().getBody(PublishResult.class);
        if (result == null) {
            throw new IllegalStateException("row route " + rowRoute + " did not end with bean:hub?method=publish");
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

    private static List<String> values(String line, String separator) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator.charAt(0));
        try (var it = CSV.readerForListOf(String.class).with(schema).<List<String>>readValues(line)) {
            return it.hasNextValue() ? it.nextValue() : List.of();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
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

    private static String required(String value, String header) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the file route did not set header " + header);
        }
        return value;
    }

    private static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
