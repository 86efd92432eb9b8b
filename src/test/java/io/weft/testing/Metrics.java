package io.weft.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;

/** Weft's Prometheus page (/q/metrics on the management port) as tests read it. */
public final class Metrics {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Metrics() {
    }

    /**
     * The sum of the series named {@code name} whose labels include all of {@code labels}; empty when there is no
     * such series (Micrometer creates a counter at its first increment).
     */
    public static OptionalDouble series(String name, String... labels) {
        return sum(Management.given().get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
    }

    /** As {@link #series(String, String...)}, read from a packaged Weft's management port. */
    public static OptionalDouble series(WeftProcess weft, String name, String... labels) {
        HttpRequest request = HttpRequest.newBuilder(weft.managementUri().resolve("/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> page = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new AssertionError(weft.name() + " /q/metrics: " + page.statusCode());
            }
            return sum(page.body(), name, labels);
        } catch (IOException e) {
            throw new AssertionError(weft.name() + " /q/metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static OptionalDouble sum(String text, String name, String... labels) {
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
