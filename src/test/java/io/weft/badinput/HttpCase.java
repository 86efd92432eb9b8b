package io.weft.badinput;

import java.util.Map;

/**
 * One generated request of the bad-input suite. {@code mustRefuse}: the input is bad by construction (too deep,
 * not UTF-8, truncated, over-long header, ...) and must be answered 4xx; otherwise (a mutation that may still
 * be a valid message) any answer but a 5xx is right, and a 2xx must have journaled it. {@code marker}: the
 * business key the case's body carries (null if none), searched for afterwards.
 */
public record HttpCase(int number, String name, String method, String path, Map<String, String> headers,
                       byte[] body, boolean mustRefuse, String marker) {

    @Override
    public String toString() {
        // The parameterised test's display name: readable, and numbered so that a failure can be found again.
        String shown = name.length() > 140 ? name.substring(0, 140) + "..." : name;
        return String.format("#%03d %s %s: %s", number, method, path.length() > 60 ? path.substring(0, 60) + "..." : path, shown);
    }
}
