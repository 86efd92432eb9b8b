package io.weft.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.weft.badinput.CaseBook.utf8;
import static io.weft.badinput.CaseBook.with;

/** Bad JSON for one HTTP entry point, from its valid sample: fixed kinds of bad input, then seeded mutations. */
final class JsonCases {
    /** Number literals no double holds (or longer than any parser should take): must be refused. */
    static final List<String> OUT_OF_RANGE = List.of("1e999999", "-1e999999", "1E400", "9".repeat(5000),
            "9".repeat(400), "-" + "9".repeat(1001), "0." + "0".repeat(5000) + "1");
    /** Unusual but representable numbers: any answer but a 5xx. */
    static final List<String> ODD_NUMBERS = List.of("1e308", "1e-999999", "123456789012345678901234567890",
            "-0.0", "1.7976931348623157e308", "0.1e1", "-1", "0");
    static final List<byte[]> BAD_UTF8 = List.of(new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xC3, 0x28},
            new byte[]{(byte) 0xE2, (byte) 0x82}, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
            new byte[]{(byte) 0x80});
    private static final List<String> WRONG_VALUES = List.of("null", "true", "0", "-1", "\"\"", "\"x\"", "[]", "{}",
            "[1,2]", "{\"a\":{}}", "\"9999-99-99\"", "\"" + "y".repeat(300) + "\"", "\"a\\u0000b\"", "\"\\ud800\"",
            "\"\\u202e\\u0007\"", "3.5", "\"REL; DROP TABLE message\"");

    private final CaseBook book;
    private final Random random;

    JsonCases(CaseBook book, Random random) {
        this.book = book;
        this.random = random;
    }

    void add(Samples.JsonSample s) {
        String p = s.path();
        Map<String, String> json = with(s.headers(), "Content-Type", "application/json");
        for (int depth : new int[]{65, 1001, 5000}) {
            String m = book.marker();
            book.post("arrays nested " + depth + " deep as the body", p, json, utf8("[".repeat(depth) + "]".repeat(depth)), true, m);
        }
        for (int depth : new int[]{65, 300, 2000}) {
            String m = book.marker();
            String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            book.post("objects nested " + depth + " deep in a field", p, json, raw(s.withKey(m), randomLeaf(s.body()), deep), true, m);
        }
        for (String number : OUT_OF_RANGE) {
            String m = book.marker();
            List<String> leaf = randomLeaf(s.body());
            book.post("number out of range " + shown(number) + " at " + leaf, p, json, raw(s.withKey(m), leaf, number), true, m);
        }
        for (String number : ODD_NUMBERS) {
            String m = book.marker();
            List<String> leaf = randomLeaf(s.body());
            book.post("odd number " + number + " at " + leaf, p, json, raw(s.withKey(m), leaf, number), false, m);
        }
        for (int i = 0; i < 4; i++) {
            String m = book.marker();
            byte[] valid = utf8(s.withKey(m).toString());
            byte[] bad = BAD_UTF8.get(random.nextInt(BAD_UTF8.size()));
            int at = 1 + random.nextInt(valid.length - 1);
            book.post("invalid UTF-8 " + hex(bad) + " at byte " + at, p, json, insert(valid, at, bad), true, m);
        }
        for (int i = 0; i < 4; i++) {
            String m = book.marker();
            byte[] valid = utf8(s.withKey(m).toString());
            int cut = random.nextInt(valid.length - 1);
            book.post("truncated after " + cut + " of " + valid.length + " bytes", p, json, java.util.Arrays.copyOf(valid, cut), true, m);
        }
        for (String body : List.of("", " ", "\n\t", "null", "42", "\"text\"", "true", "{} {}", "{\"a\":1}x",
                "{\"a\":1}}", "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}", "{\"a\":Infinity}", "/* c */{}")) {
            book.post("body " + shown(body.isEmpty() ? "(empty)" : body), p, json, utf8(body), true, null);
        }
        for (String body : List.of("[]", "{}", "[{}]", "\uFEFF{}")) {
            book.post("body " + shown(body), p, json, utf8(body), false, null);
        }
        mediaTypes(s, p);
        headers(s, p, json);
        for (int i = 0; i < 30; i++) {
            mutation(s, p, json);
        }
    }

    private void mediaTypes(Samples.JsonSample s, String p) {
        for (String type : new String[]{null, "text/plain", "application/xml", "text/json", "application/json; charset=utf-16",
                "application/json; charset=utf-32", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                "*/*", "application/", "garbage", "application/octet-stream"}) {
            String m = book.marker();
            book.post("content type " + (type == null ? "(none)" : type), p, with(s.headers(), "Content-Type", type),
                    utf8(s.withKey(m).toString()), true, m);
        }
        for (String type : new String[]{"application/vnd.weft+json", "application/json; charset=UTF-8", "APPLICATION/JSON",
                "application/json; charset=ISO-8859-1"}) {
            String m = book.marker();
            book.post("content type " + type, p, with(s.headers(), "Content-Type", type), utf8(s.withKey(m).toString()), false, m);
        }
    }

    private void headers(Samples.JsonSample s, String p, Map<String, String> json) {
        Object[][] headers = {
            {"Idempotency-Key", "", false}, {"Idempotency-Key", "k".repeat(257), true},
            {"Idempotency-Key", "k".repeat(4000), true}, {"Idempotency-Key", "@256", false},
            {"X-Correlation-Id", "c".repeat(65), true}, {"X-Correlation-Id", "c".repeat(1000), true},
            {"X-Correlation-Id", "c".repeat(8000), true}, {"X-Correlation-Id", "c".repeat(64), false},
            {"X-Correlation-Id", "", false}, {"X-Api-Version", "x".repeat(17), true}, {"X-Api-Version", "1 2", true},
            {"X-Api-Version", "../2", true}, {"X-Api-Version", "99", false}, {"X-Api-Version", "", false},
        };
        for (Object[] h : headers) {
            String m = book.marker();
            String value = "@256".equals(h[1]) ? (m + "-").repeat(30).substring(0, 256) : (String) h[1];
            book.post("header " + h[0] + " of " + value.length() + " characters", p, with(json, (String) h[0], value),
                    utf8(s.withKey(m).toString()), (Boolean) h[2], m);
        }
    }

    /** One seeded mutation of the valid sample. */
    private void mutation(Samples.JsonSample s, String p, Map<String, String> json) {
        String m = book.marker();
        ObjectNode body = s.withKey(m);
        List<String> leaf = randomLeaf(body);
        switch (random.nextInt(9)) {
            case 0 -> {
                String value = WRONG_VALUES.get(random.nextInt(WRONG_VALUES.size()));
                book.post("wrong value " + shown(value) + " at " + leaf, p, json, raw(body, leaf, value), false, m);
            }
            case 1 -> {
                remove(body, leaf);
                book.post("field " + leaf + " removed", p, json, utf8(body.toString()), false, m);
            }
            case 2 -> {
                String value = random.nextBoolean() ? "\"" + "L".repeat(70_000) + "\"" : "\"" + "L".repeat(65) + "\"";
                book.post("long text (" + (value.length() - 2) + ") at " + leaf, p, json, raw(body, leaf, value), false, m);
            }
            case 3 -> book.post("business key over its 64 characters", p, json,
                    raw(body, s.keyPath(), "\"" + m + "x".repeat(300) + "\""), true, m);
            case 4 -> book.post("business key with a NUL character", p, json, raw(body, s.keyPath(), "\"" + m + "\\u0000\""), true, m);
            case 5 -> {
                byte[] bytes = utf8(body.toString());
                int at = random.nextInt(bytes.length);
                byte was = bytes[at];
                bytes[at] = (byte) (33 + random.nextInt(94));
                book.post("byte " + at + " '" + (char) was + "' changed to '" + (char) bytes[at] + "'", p, json, bytes, false, m);
            }
            case 6 -> {
                String text = body.toString();
                String dup = "{\"" + leaf.get(0) + "\": [\"dup\"], " + text.substring(1);
                book.post("duplicate key " + leaf.get(0), p, json, utf8(dup), false, m);
            }
            case 7 -> {
                ObjectNode extra = body.putObject("x" + random.nextInt(1000));
                extra.putArray("list").add(1).addObject().put("k", "v");
                book.post("unknown field added", p, json, utf8(body.toString()), false, m);
            }
            default -> {
                String number = random.nextBoolean() ? OUT_OF_RANGE.get(random.nextInt(OUT_OF_RANGE.size()))
                        : ODD_NUMBERS.get(random.nextInt(ODD_NUMBERS.size()));
                book.post("number " + shown(number) + " at " + leaf, p, json, raw(body, leaf, number),
                        OUT_OF_RANGE.contains(number), m);
            }
        }
    }

    /** The body with the value at {@code path} replaced by the raw JSON text {@code literal}. */
    static byte[] raw(ObjectNode body, List<String> path, String literal) {
        ObjectNode copy = body.deepCopy();
        set(copy, path, JsonNodeFactory.instance.textNode("@@RAW@@"));
        return utf8(copy.toString().replace("\"@@RAW@@\"", literal));
    }

    private static void set(JsonNode root, List<String> path, JsonNode value) {
        JsonNode parent = root;
        for (String step : path.subList(0, path.size() - 1)) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
        }
        String last = path.get(path.size() - 1);
        if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static void remove(JsonNode root, List<String> path) {
        JsonNode parent = root;
        for (String step : path.subList(0, path.size() - 1)) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
        }
        String last = path.get(path.size() - 1);
        if (parent.isArray()) {
            ((ArrayNode) parent).remove(Integer.parseInt(last));
        } else {
            ((ObjectNode) parent).remove(last);
        }
    }

    /** A random value (not object or array) of the message, as its path of field names and indexes. */
    private List<String> randomLeaf(JsonNode root) {
        List<List<String>> leaves = new ArrayList<>();
        collect(root, new ArrayList<>(), leaves);
        return leaves.get(random.nextInt(leaves.size()));
    }

    private static void collect(JsonNode node, List<String> path, List<List<String>> leaves) {
        if (!node.isContainerNode()) {
            leaves.add(List.copyOf(path));
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(String.valueOf(i));
                collect(node.get(i), path, leaves);
                path.remove(path.size() - 1);
            }
        } else {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                path.add(name);
                collect(node.get(name), path, leaves);
                path.remove(path.size() - 1);
            }
        }
    }

    static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(inserted);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02X", b & 0xff));
        }
        return s.toString();
    }

    static String shown(String value) {
        return value.length() > 24 ? value.substring(0, 12) + "...(" + value.length() + " chars)" : value;
    }
}
