package io.weft.mapping;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The differences between an expected and an actual JSON document, one readable line per difference:
 * {@code $.unit: expected "EA" but was "PC"}, {@code $.lines[1]: missing, expected {...}},
 * {@code $.note: not expected, was "x"}. Numbers are equal when their values are (500 and 500.0).
 */
public final class JsonDiff {
    private JsonDiff() {
    }

    public static List<String> diff(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("$", expected, actual, out);
        return out;
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": expected " + expected + " but was " + actual);
            }
        } else if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String at = path + (name.matches("[A-Za-z_][A-Za-z0-9_]*") ? "." + name : "['" + name + "']");
                if (!actual.has(name)) {
                    out.add(at + ": missing, expected " + brief(expected.get(name)));
                } else if (!expected.has(name)) {
                    out.add(at + ": not expected, was " + brief(actual.get(name)));
                } else {
                    diff(at, expected.get(name), actual.get(name), out);
                }
            }
        } else if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> e = expected.iterator();
            Iterator<JsonNode> a = actual.iterator();
            for (int i = 0; e.hasNext() || a.hasNext(); i++) {
                String at = path + "[" + i + "]";
                if (!a.hasNext()) {
                    out.add(at + ": missing, expected " + brief(e.next()));
                } else if (!e.hasNext()) {
                    out.add(at + ": not expected, was " + brief(a.next()));
                } else {
                    diff(at, e.next(), a.next(), out);
                }
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": expected " + brief(expected) + " but was " + brief(actual));
        }
    }

    private static String brief(JsonNode node) {
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
