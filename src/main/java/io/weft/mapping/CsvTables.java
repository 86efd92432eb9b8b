package io.weft.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CSV with a header line ↔ JSON rows, through Jackson's CSV data format (for {@link Formats}). */
final class CsvTables {
    // Quote a CSV value only where the value needs it (a separator, quote or line break in it), as legacy
    // systems write and expect.
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private CsvTables() {
    }

    /** CSV text to a JSON array of objects, one per row, every value a string. */
    static String read(ObjectMapper json, String csv, String separator) {
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(separatorChar(separator));
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        try (var it = CSV.readerForMapOf(String.class).with(schema).<Map<String, String>>readValues(csv)) {
            while (it.hasNextValue()) {
                rows.add(json.valueToTree(it.nextValue()));
            }
            return json.writeValueAsString(rows);
        } catch (IOException e) {
            List<String> at = e instanceof JsonProcessingException p && p.getLocation() != null
                    ? List.of("line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr()) : List.of();
            throw new MappingException("(csv input)", null, at, "input is not a CSV table: "
                    + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** Rows of flat objects to CSV text with a header line naming every field of any row. */
    static String write(List<Map<String, Object>> rows, String separator) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setColumnSeparator(separatorChar(separator));
        columns.forEach(schema::addColumn);
        try {
            return CSV.writer(schema.build()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new MappingException("(csv output)", null, "cannot write CSV: " + e.getOriginalMessage(), e);
        }
    }

    private static char separatorChar(String separator) {
        if (separator == null || separator.isEmpty()) {
            return ',';
        }
        return "\\t".equals(separator) || "tab".equalsIgnoreCase(separator) ? '\t' : separator.charAt(0);
    }

}
