package io.weft.mapping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which input fields a failing JSONata expression read. The JSONata engine reports at most the character
 * position of a failure, so Weft takes the names in the failing line of the mapping and keeps those present
 * in the input (for a failing value, those holding that value). A best effort: empty when nothing matches.
 */
final class InputPaths {
    private static final Pattern NAME_PATH = Pattern.compile(
            "(?<![$\\w.])[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "in", "true", "false", "null", "function");

    private InputPaths() {
    }

    /**
     * The input fields an expression reads: names and dotted paths in its text (outside string literals and
     * variables) that exist in the input, as JSON paths. With {@code value}, only those holding it.
     */
    static List<String> read(String expressionText, Object input, String value) {
        String text = STRING_LITERAL.matcher(expressionText).replaceAll("\"\"");
        Set<String> found = new LinkedHashSet<>();
        Matcher m = NAME_PATH.matcher(text);
        while (m.find()) {
            String name = m.group();
            if (KEYWORDS.contains(name)) {
                continue;
            }
            Object at = resolve(input, name.split("\\."));
            if (at != MISSING && (value == null || value.equals(codeText(at)))) {
                found.add("$." + name);
            } else if (at == MISSING) {
                // Inside a path step (Item.{...}) names are relative: find where the input has them.
                String nested = nestedPath(input, "$", name.split("\\."), value, 0);
                if (nested != null) {
                    found.add(nested);
                }
            }
        }
        return new ArrayList<>(found);
    }

    private static final Object MISSING = new Object();

    private static Object resolve(Object node, String[] steps) {
        Object at = node;
        for (String step : steps) {
            if (at instanceof List<?> list && !list.isEmpty()) {
                at = list.get(0);
            }
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(step)) {
                return MISSING;
            }
            at = map.get(step);
        }
        return at;
    }

    private static String nestedPath(Object node, String path, String[] steps, String value, int depth) {
        if (depth > 8) {
            return null;
        }
        if (node instanceof Map<?, ?> map) {
            Object at = resolve(map, steps);
            if (at != MISSING && (value == null || value.equals(codeText(at)))) {
                return path + "." + String.join(".", steps);
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String found = nestedPath(e.getValue(), path + "." + e.getKey(), steps, value, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String found = nestedPath(list.get(i), path + "[" + i + "]", steps, value, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static String codeText(Object value) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return String.valueOf(n.longValue());
        }
        return String.valueOf(value);
    }

    /** Paths of the leaves of {@code input} equal to {@code value} (when the failing call cannot be found). */
    static List<String> holding(Object input, String value) {
        List<String> paths = new ArrayList<>();
        collect(input, "$", value, paths);
        return paths.size() > 5 ? paths.subList(0, 5) : paths;
    }

    private static void collect(Object node, String path, String value, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, path + "." + k, value, into));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(list.get(i), path + "[" + i + "]", value, into);
            }
        } else if (node != null && value.equals(codeText(node))) {
            into.add(path);
        }
    }
}
