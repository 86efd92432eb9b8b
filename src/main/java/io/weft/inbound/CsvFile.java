package io.weft.inbound;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one dropped CSV file while Camel's Splitter hands its lines to {@link CsvRows#row}: where it came
 * from, its header, what became of its rows so far. Held in an exchange property, so the split's copies share it.
 */
final class CsvFile {
    final String system;
    final String rowRoute;
    final String separator;
    final String file;
    final String digest;
    final List<CsvRows.RowProblem> problems = new ArrayList<>();
    List<String> columns;
    boolean stopped;
    int published;
    int duplicates;

    CsvFile(String system, String rowRoute, String separator, String file, String digest) {
        this.system = system;
        this.rowRoute = rowRoute;
        this.separator = separator;
        this.file = file;
        this.digest = digest;
    }
}
