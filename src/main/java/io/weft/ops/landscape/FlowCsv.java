package io.weft.ops.landscape;

import java.util.List;
import java.util.stream.Collectors;

/** The flow inventory as CSV (RFC 4180): a header row, then one row per flow; the trend as numbers joined by '|'. */
final class FlowCsv {
    static final String HEADER = "source,type,destination,messages,failedAttempts,dead,failureRate,p95LatencyMillis,trend";

    private FlowCsv() {
    }

    static String of(List<FlowsResource.FlowRow> rows) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (FlowsResource.FlowRow r : rows) {
            csv.append(field(r.source())).append(',').append(field(r.type())).append(',').append(field(r.destination()))
                    .append(',').append(r.messages()).append(',').append(r.failedAttempts()).append(',').append(r.dead())
                    .append(',').append(r.failureRate()).append(',')
                    .append(r.p95LatencyMillis() == null ? "" : r.p95LatencyMillis()).append(',')
                    .append(r.trend().stream().map(String::valueOf).collect(Collectors.joining("|"))).append("\r\n");
        }
        return csv.toString();
    }

    /** Quoted when it holds a comma, quote or line break; a leading =, +, - or @ is prefixed (no spreadsheet formula). */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.matches(".*[\",\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
