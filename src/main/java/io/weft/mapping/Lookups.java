package io.weft.mapping;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Code crosswalks: the CSV tables in {@code mappings/lookups/<table>.csv}, read once at start. The first
 * line names the columns; the first column is the key (unique), the second the value a plain lookup returns;
 * further columns are read by name. Lines starting with {@code #} are comments. JSONata mappings call them
 * as {@code $weftLookup('units', GMEIN)} or {@code $weftLookup('plants', data.plant, 'wms')}.
 */
public final class Lookups {

    /** A problem with a table file, with the line it is on (0 when it concerns the whole file). */
    public record Problem(Path file, int line, String message) {
    }

    /** A code that is not in its table; the mapper turns it into a {@link MappingException}. */
    public static final class UnknownCodeException extends RuntimeException {
        private final String table;
        private final String code;

        UnknownCodeException(String table, String code, String message) {
            super(message);
            this.table = table;
            this.code = code;
        }

        public String table() {
            return table;
        }

        public String code() {
            return code;
        }
    }

    private record Table(List<String> columns, Map<String, Map<String, String>> rows) {
    }

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
            .enable(CsvParser.Feature.TRIM_SPACES).build();

    private final Path dir;
    private final Map<String, Table> tables = new TreeMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private Lookups(Path dir) {
        this.dir = dir;
    }

    /** Reads every {@code *.csv} in {@code dir} (which may be missing: then there are no tables). */
    public static Lookups load(Path dir) {
        Lookups lookups = new Lookups(dir);
        if (!Files.isDirectory(dir)) {
            return lookups;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().forEach(lookups::read);
        } catch (IOException e) {
            lookups.problems.add(new Problem(dir, 0, "cannot list lookup tables: " + e.getMessage()));
        }
        return lookups;
    }

    private void read(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
        List<Problem> found = new ArrayList<>();
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class).with(schema)
                .readValues(file.toFile())) {
            List<String> columns = new ArrayList<>();
            Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new HashMap<>();
            boolean any = rows.hasNextValue();
            ((CsvSchema) rows.getParserSchema()).forEach(c -> columns.add(c.getName()));
            headerProblems(file, columns, found);
            if (!found.isEmpty()) {
                problems.addAll(found);
                return;
            }
            if (!any) {
                found.add(new Problem(file, 1, "the table has a header but no rows"));
            }
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                // The parser stands on the row's last value, so this is the row's own line.
                int line = rows.getParser().currentTokenLocation().getLineNr();
                String key = row.get(columns.get(0));
                if (key == null || key.isEmpty()) {
                    found.add(new Problem(file, line, "empty key in column '" + columns.get(0) + "'"));
                } else if (keyLines.containsKey(key)) {
                    found.add(new Problem(file, line, "duplicate key '" + key + "' (first on line "
                            + keyLines.get(key) + "); the first row is used"));
                } else {
                    keyLines.put(key, line);
                    byKey.put(key, row);
                }
            }
            // A table with a duplicate or empty key still serves its other rows: one problem, not one per user.
            tables.put(name, new Table(List.copyOf(columns), byKey));
        } catch (IOException | RuntimeException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                    ? p.getLocation().getLineNr() : 0;
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                    ? p.getOriginalMessage() : e.getMessage();
            found.add(new Problem(file, line, "not a valid CSV table: " + message));
        }
        problems.addAll(found);
    }

    private static void headerProblems(Path file, List<String> columns, List<Problem> found) {
        if (columns.size() < 2) {
            found.add(new Problem(file, 1, "the header must name at least two columns (key, value); got " + columns));
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).isBlank()) {
                found.add(new Problem(file, 1, "column " + (i + 1) + " of the header has no name"));
            } else if (columns.indexOf(columns.get(i)) != i) {
                found.add(new Problem(file, 1, "column name '" + columns.get(i) + "' appears twice in the header"));
            }
        }
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    public boolean has(String table) {
        return tables.containsKey(table);
    }

    public Optional<List<String>> columns(String table) {
        return Optional.ofNullable(tables.get(table)).map(Table::columns);
    }

    /** The value column (the second) for {@code code}; null for a null code; unknown codes throw. */
    public String lookup(String table, Object code) {
        return lookup(table, code, null);
    }

    /** Column {@code column} (the second when null) of the row keyed {@code code}. */
    public String lookup(String table, Object code, String column) {
        Table t = tables.get(table);
        if (t == null) {
            throw new UnknownCodeException(table, String.valueOf(code), "no lookup table '" + table + "' (looked for "
                    + dir.resolve(table + ".csv") + "; tables: " + tables.keySet() + ")");
        }
        if (code == null) {
            return null;
        }
        String key = code instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? String.valueOf(n.longValue()) : String.valueOf(code);
        String valueColumn = column == null ? t.columns().get(1) : column;
        if (!t.columns().contains(valueColumn)) {
            throw new UnknownCodeException(table, key, "lookup table '" + table + "' has no column '" + valueColumn
                    + "'; columns: " + t.columns());
        }
        Map<String, String> row = t.rows().get(key);
        if (row == null) {
            throw new UnknownCodeException(table, key, "unknown code '" + key + "' in lookup table '" + table
                    + "' (" + dir.resolve(table + ".csv") + ")");
        }
        return row.get(valueColumn);
    }

    /**
     * The reverse crosswalk: the key (first column) of the one row whose {@code column} (the second when
     * null) holds {@code value}. No row, or several, is an error naming the value and the table.
     */
    public String key(String table, Object value, String column) {
        Table t = tables.get(table);
        if (t == null) {
            throw new UnknownCodeException(table, String.valueOf(value), "no lookup table '" + table + "' (looked for "
                    + dir.resolve(table + ".csv") + "; tables: " + tables.keySet() + ")");
        }
        if (value == null) {
            return null;
        }
        String text = value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? String.valueOf(n.longValue()) : String.valueOf(value);
        String valueColumn = column == null ? t.columns().get(1) : column;
        if (!t.columns().contains(valueColumn)) {
            throw new UnknownCodeException(table, text, "lookup table '" + table + "' has no column '" + valueColumn
                    + "'; columns: " + t.columns());
        }
        List<String> keys = t.rows().entrySet().stream().filter(e -> text.equals(e.getValue().get(valueColumn)))
                .map(Map.Entry::getKey).toList();
        if (keys.size() != 1) {
            throw new UnknownCodeException(table, text, (keys.isEmpty() ? "unknown code '" : "ambiguous code '") + text
                    + "' in column '" + valueColumn + "' of lookup table '" + table + "' (" + dir.resolve(table + ".csv")
                    + ")" + (keys.isEmpty() ? "" : ": rows " + keys));
        }
        return keys.get(0);
    }
}
