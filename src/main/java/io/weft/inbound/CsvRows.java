package io.weft.inbound;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.weft.hub.Hub;
import io.weft.hub.UnstorableValueException;
import io.weft.journal.PublishResult;
import io.weft.journal.Rejections;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;
import io.weft.observe.WeftMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Publishes a dropped CSV file row by row, one line at a time from Camel's Splitter in the file route
 * ({@code bean:csvRows?method=begin}, then {@code split} with {@code tokenize: "\n"} and {@code streaming: true} calling
 * {@code bean:csvRows?method=row}, then {@code bean:csvRows?method=finish}): each data line is handed, as a one-row table {@code [{"column": "value", ...}]}, to the row route named by header
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
    /** Exchange property holding the file's {@link CsvFile} between begin, the rows and finish. */
    static final String STATE = "weftCsvFile";

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    @Inject
    CsvRowRoute rowRoute;
    @Inject
    Rejections rejections;

    /** One line of the error report. */
    public record RowProblem(String file, int line, String problem, String content) {
    }

    /**
     * Before the split: reads the route's headers, takes the file's digest (streamed, the body is left as it is)
     * and has the Splitter read the file as ISO-8859-1, so that each line reaches {@link #row} byte for byte and is
     * decoded as UTF-8 on its own.
     */
    public void begin(Exchange exchange) throws IOException {
        var in = exchange.getMessage();
        String system = required(in.getHeader(Hub.SOURCE_SYSTEM, String.class), Hub.SOURCE_SYSTEM);
        String rowRoute = required(in.getHeader(ROW_ROUTE, String.class), ROW_ROUTE);
        String separator = in.getHeader(SEPARATOR, ",", String.class);
        String file = in.getHeader(Exchange.FILE_NAME, "(unnamed)", String.class);
        String digest;
        try (InputStream body = in.getBody(InputStream.class)) {
            digest = sha256(body).substring(0, 16);
        }
        exchange.setProperty(STATE, new CsvFile(system, rowRoute, separator, file, digest));
        exchange.setProperty(Exchange.CHARSET_NAME, StandardCharsets.ISO_8859_1.name());
    }

    /** One line of the file (split: tokenize "\n", streaming): the header, a row to publish, or a problem. */
    public void row(Exchange exchange) {
        CsvFile f = exchange.getProperty(STATE, CsvFile.class);
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class);
        String token = exchange.getMessage().getBody(String.class);
        if (f.stopped || token == null) {
            return;
        }
        int lineNo = index + 1;
        String line = Utf8Lines.decodeLine(token, index == 0);
        if (line != null && line.isBlank()) {
            return;
        }
        if (line == null && f.columns == null) {
            f.problems.add(new RowProblem(f.file, lineNo, "the header line is not valid UTF-8",
                    Utf8Lines.lenientLine(token, index == 0)));
            f.stopped = true;
            return;
        }
        String sourceMessageId = f.file + ":" + lineNo + ":" + f.digest;
        if (line == null) {
            RowProblem problem = new RowProblem(f.file, lineNo, "the line is not valid UTF-8",
                    Utf8Lines.lenientLine(token, index == 0));
            f.problems.add(problem);
            rejections.record(new Rejections.Rejected(f.system, exchange.getFromRouteId(), null, f.file, "line " + lineNo,
                    sourceMessageId, WeftMetrics.Rejection.MALFORMED, problem.problem(), null, problem.content()));
            return;
        }
        if (f.columns == null) {
            try {
                f.columns = values(line, f.separator);
            } catch (IOException e) {
                f.problems.add(new RowProblem(f.file, lineNo, "the header line is not CSV: " + e.getMessage(), line));
                f.stopped = true;
            }
            return;
        }
        RowProblem problem;
        WeftMetrics.Rejection reason = WeftMetrics.Rejection.MALFORMED;
        Throwable cause = null;
        try {
            List<String> values = values(line, f.separator);
            if (values.size() != f.columns.size()) {
                problem = new RowProblem(f.file, lineNo, "expected " + f.columns.size() + " values ("
                        + String.join(f.separator, f.columns) + "), found " + values.size(), line);
            } else {
                PublishResult result = rowRoute.publish(exchange, f, sourceMessageId, values);
                if (result.duplicate()) {
                    f.duplicates++;
                } else {
                    f.published++;
                }
                return;
            }
        } catch (IOException e) {
            problem = new RowProblem(f.file, lineNo, "not a CSV line: " + e.getMessage(), line);
        } catch (MappingException | SchemaViolationException | UnstorableValueException e) {
            reason = Rejections.reasonOf(e);
            cause = e;
            problem = new RowProblem(f.file, lineNo, e.getMessage(), line);
        }
        f.problems.add(problem);
        rejections.record(new Rejections.Rejected(f.system, exchange.getFromRouteId(), null, f.file, "line " + lineNo,
                sourceMessageId, reason, problem.problem(), cause, line));
    }

    /** After the split: the counts as headers and the error report (or no body when every row was published). */
    public void finish(Exchange exchange) {
        CsvFile f = exchange.getProperty(STATE, CsvFile.class);
        exchange.removeProperty(STATE);
        exchange.removeProperty(Exchange.CHARSET_NAME);
        if (f.columns == null && f.problems.isEmpty()) {
            f.problems.add(new RowProblem(f.file, 1, "the file is empty: no header line", ""));
        }
        var in = exchange.getMessage();
        in.setHeader(PUBLISHED, f.published);
        in.setHeader(DUPLICATES, f.duplicates);
        in.setHeader(REJECTED, f.problems.size());
        in.setHeader(REPORT_NAME, ErrorReport.name(f.file));
        in.setBody(f.problems.isEmpty() ? null : ErrorReport.csv(f.problems, f.separator));
    }

    private static List<String> values(String line, String separator) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator.charAt(0));
        try (var it = CSV.readerForListOf(String.class).with(schema).<List<String>>readValues(line)) {
            return it.hasNextValue() ? it.nextValue() : List.of();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String required(String value, String header) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the file route did not set header " + header);
        }
        return value;
    }

    private static String sha256(InputStream body) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (body != null) {
                byte[] buffer = new byte[8192];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
