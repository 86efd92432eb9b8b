package io.weft.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated bad input for the QMS table and the MQTT telemetry, from a fixed seed. */
final class SpokeCases {
    static final long SEED = 20261203L;

    /** An MQTT message: the topic's line level and the payload. */
    record Mqtt(int number, String name, String line, byte[] payload) {
        @Override
        public String toString() {
            return String.format("mqtt #%02d %s", number, name);
        }
    }

    /**
     * A QMS row: the values of lot_no, plant, decision and unit, and whether it must be refused (else it may be
     * published or refused, but must not stay unread).
     */
    record QmsRow(int number, String name, String lot, String plant, String decision, String unit, boolean mustRefuse) {
        @Override
        public String toString() {
            return String.format("qms #%02d %s", number, name);
        }
    }

    private SpokeCases() {
    }

    static List<Mqtt> mqtt() {
        Random random = new Random(SEED);
        List<Mqtt> cases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] garbage = new byte[1 + random.nextInt(400)];
            random.nextBytes(garbage);
            garbage[0] = (byte) 0xFE; // never starts like JSON
            cases.add(mqtt(cases, "random bytes (" + garbage.length + ")", "L", garbage));
        }
        for (int depth : new int[]{17, 1000, 5000}) {
            cases.add(mqtt(cases, "nested " + depth + " deep", "L", utf8("{\"metric\": \"temperature\", \"value\": 95, \"x\": "
                    + "[".repeat(depth) + "]".repeat(depth) + "}")));
        }
        cases.add(mqtt(cases, "huge (2 MB)", "L", utf8("{\"metric\": \"temperature\", \"pad\": \"" + "p".repeat(2_000_000) + "\"}")));
        for (int i = 0; i < 3; i++) {
            byte[] json = utf8("{\"metric\": \"temperature\", \"value\": 95, \"unit\": \"CEL\"}");
            int at = 2 + random.nextInt(json.length - 3);
            byte[] bad = JsonCases.BAD_UTF8.get(random.nextInt(JsonCases.BAD_UTF8.size()));
            cases.add(mqtt(cases, "invalid UTF-8 " + JsonCases.hex(bad) + " at byte " + at, "L", JsonCases.insert(json, at, bad)));
        }
        for (String value : new String[]{"1e999999", "-1e999999", "9".repeat(400), "9".repeat(5000)}) {
            cases.add(mqtt(cases, "value " + JsonCases.shown(value), "L", utf8("{\"metric\": \"temperature\", \"value\": " + value + "}")));
        }
        cases.add(mqtt(cases, "metric of 100 characters", "L", utf8("{\"metric\": \"" + "t".repeat(100) + "\", \"value\": 95}")));
        cases.add(mqtt(cases, "metric with NUL", "L", utf8("{\"metric\": \"temperature\\u0000\", \"value\": 95}")));
        cases.add(mqtt(cases, "line level of 100 characters", "L" + "l".repeat(99), utf8("{\"metric\": \"temperature\", \"value\": 95}")));
        for (String body : new String[]{"", "[]", "null", "{}", "{\"metric\": \"temperature\"}", "{\"metric\": \"temperature\", \"value\": \"95\"}",
                "{\"metric\": 7, \"value\": 95}", "{\"metric\": \"temperature\", \"value\": 95", "\u0000\u0000", "{\"value\": NaN, \"metric\": \"temperature\"}"}) {
            cases.add(mqtt(cases, "payload " + JsonCases.shown(body.isEmpty() ? "(empty)" : body.replace("\u0000", "\\0")), "L", utf8(body)));
        }
        return cases;
    }

    static List<QmsRow> qms() {
        List<QmsRow> rows = new ArrayList<>();
        String run = CaseBook.RUN;
        rows.add(new QmsRow(1, "lot number over 64 characters", "Q1-" + run + "x".repeat(300), "P1", "A", "MMT", true));
        rows.add(new QmsRow(2, "lot number with NUL", "Q2-" + run + "\u0000", "P1", "A", "MMT", true));
        rows.add(new QmsRow(3, "no lot number", null, "P1", "A", "MMT", true));
        rows.add(new QmsRow(4, "unknown decision", "Q4-" + run, "P1", "X", "MMT", true));
        rows.add(new QmsRow(5, "no decision", "Q5-" + run, "P1", null, "MMT", true));
        rows.add(new QmsRow(6, "empty plant", "Q6-" + run, "", "A", "MMT", true));
        rows.add(new QmsRow(7, "lot number of 1500 characters", "Q7-" + run + "y".repeat(1500), "P1", "R", "MMT", true));
        rows.add(new QmsRow(8, "unit with NUL", "Q8-" + run, "P1", "A", "M\u0000T", false));
        rows.add(new QmsRow(9, "lot number with control characters", "Q9-" + run + "\u0007\u001b", "P1", "C", "MMT", false));
        rows.add(new QmsRow(10, "a good row", "Q10-" + run, "P1", "A", "MMT", false));
        return rows;
    }

    private static Mqtt mqtt(List<Mqtt> cases, String name, String line, byte[] payload) {
        return new Mqtt(cases.size() + 1, name, line, payload);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
