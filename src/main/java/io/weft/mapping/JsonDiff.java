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

    /**
     * One field that differs: its JSON Pointer (RFC 6901, e.g. {@code /lines/0/qty}) and the two values as JSON
     * text, null where the field is absent on that side.
     */
    public record Difference(String pointer, String left, String right) {
    }

    /** The fields in which {@code right} differs from {@code left}, by JSON Pointer, in document order. */
    public static List<Difference> differences(JsonNode left, JsonNode right) {
        List<Difference> out = new ArrayList<>();
        differences("", left, right, out);
        return out;
    }

    private static void differences(String pointer, JsonNode left, JsonNode right, List<Difference> out) {
        if (left.isNumber() && right.isNumber()) {
            if (left.decimalValue().compareTo(right.decimalValue()) != 0) {
                out.add(new Difference(pointer, left.toString(), right.toString()));
            }
        } else if (left.isObject() && right.isObject()) {
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
            left.fieldNames().forEachRemaining(names::add);
            right.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String at = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!right.has(name)) {
                    out.add(new Difference(at, left.get(name).toString(), null));
                } else if (!left.has(name)) {
                    out.add(new Difference(at, null, right.get(name).toString()));
                } else {
                    differences(at, left.get(name), right.get(name), out);
                }
            }
        } else if (left.isArray() && right.isArray()) {
            for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
                String at = pointer + "/" + i;
                if (i >= right.size()) {
                    out.add(new Difference(at, left.get(i).toString(), null));
                } else if (i >= left.size()) {
                    out.add(new Difference(at, null, right.get(i).toString()));
                } else {
                    differences(at, left.get(i), right.get(i), out);
                }
            }
        } else if (!left.equals(right)) {
            out.add(new Difference(pointer.isEmpty() ? "/" : pointer, left.toString(), right.toString()));
        }
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
