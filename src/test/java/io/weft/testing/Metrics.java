package io.weft.testing;

import java.util.Arrays;
import java.util.OptionalDouble;

/** Weft's Prometheus page (/q/metrics on the management port) as tests read it. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The sum of the series named {@code name} whose labels include all of {@code labels}; empty when there is no
     * such series (Micrometer creates a counter at its first increment).
     */
    public static OptionalDouble series(String name, String... labels) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " "))
                    && Arrays.stream(labels).allMatch(line::contains)) {
                // "name{labels} value [# exemplar ...]": the value is the first token after the labels.
                String afterLabels = line.startsWith(name + "{") ? line.substring(line.indexOf('}') + 1)
                        : line.substring(name.length());
                sum += Double.parseDouble(afterLabels.trim().split("\\s+")[0]);
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** The series' value; fails when it is not exported (a missing metric must not pass as 0). */
    public static double value(String name, String... labels) {
        return series(name, labels).orElseThrow(() -> new AssertionError(
                "no series " + name + " with " + String.join(", ", labels) + " at /q/metrics"));
    }

    /** A counter's value before a test acts: 0 while the counter has not been incremented yet. */
    public static double baseline(String name, String... labels) {
        return series(name, labels).orElse(0);
    }
}
