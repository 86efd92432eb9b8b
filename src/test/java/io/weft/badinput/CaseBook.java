package io.weft.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Collects the generated cases, numbering them in order and giving each a business key marker of its own. */
final class CaseBook {
    /** Part of every marker, so that markers of this run are unique in a store that outlives it. */
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    private final List<HttpCase> cases = new ArrayList<>();

    /** The marker the next case carries as its business key (schemas allow 64 characters). */
    String marker() {
        return "BI" + (cases.size() + 1) + "-" + RUN;
    }

    void add(String name, String method, String path, Map<String, String> headers, byte[] body, boolean mustRefuse,
             String marker) {
        cases.add(new HttpCase(cases.size() + 1, name, method, path, Map.copyOf(headers), body, mustRefuse, marker));
    }

    void post(String name, String path, Map<String, String> headers, byte[] body, boolean mustRefuse, String marker) {
        add(name, "POST", path, headers, body, mustRefuse, marker);
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (value == null) {
            all.remove(name);
        } else {
            all.put(name, value);
        }
        return all;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    List<HttpCase> cases() {
        return List.copyOf(cases);
    }
}
