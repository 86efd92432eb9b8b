package io.weft.badinput;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Odd query parameters and ids for the operations API ({@code /api/*}). */
final class ApiCases {
    private static final List<String> BAD_LIMITS = List.of("0", "-1", "1001", "abc", "1.5", "1e3", "99999999999999", "0x10", "%00");
    private static final List<String> GOOD_LIMITS = List.of("1", "1000", " 7 ", "");
    private static final List<String> BAD_INSTANTS = List.of("yesterday", "2026-13-01T00:00:00Z", "+1000000000-01-01T00:00:00Z",
            "-999999999-01-01T00:00:00Z", "2026-12-01", "2026-12-01T00:00:00", "1e9", "0000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z", "2026-12-01T25:00:00Z");
    private static final List<String> GOOD_INSTANTS = List.of("2026-12-01T00:00:00Z", "1970-01-01T00:00:00.123456789Z");
    // The server takes request lines up to 4096 bytes (a longer one is its own bare 414): values stay under.
    private static final List<String> BAD_TEXTS = List.of("x".repeat(300), "x".repeat(3000), "a%00b");
    private static final List<String> ODD_TEXTS = List.of("' OR 1=1 --", "%25", "\u00e9\u4e2d", "*", "null", "DEAD");

    private final CaseBook book;
    private final Random random;

    ApiCases(CaseBook book, Random random) {
        this.book = book;
        this.random = random;
    }

    void add() {
        for (String limit : BAD_LIMITS) {
            for (String path : List.of("/api/messages", "/api/deliveries", "/api/rejections")) {
                get(path, "limit", limit, true);
            }
        }
        for (String limit : GOOD_LIMITS) {
            get("/api/messages", "limit", limit, false);
        }
        for (String status : List.of("LOST", "dead", "DEAD;DROP", "%00", "x".repeat(300), "PENDING,DEAD")) {
            get("/api/messages", "status", status, true);
            get("/api/deliveries", "status", status, true);
        }
        for (String status : List.of("DEAD", "PENDING", "RETRYING", "DELIVERED")) {
            get(random.nextBoolean() ? "/api/messages" : "/api/deliveries", "status", status, false);
        }
        for (String instant : BAD_INSTANTS) {
            get("/api/messages", random.nextBoolean() ? "since" : "until", instant, true);
            get("/api/rejections", "since", instant, true);
        }
        for (String instant : GOOD_INSTANTS) {
            get("/api/messages", "since", instant, false);
        }
        for (String name : List.of("businessKey", "type", "source")) {
            for (String text : BAD_TEXTS) {
                get("/api/messages", name, text, true);
            }
            for (String text : ODD_TEXTS) {
                get("/api/messages", name, text, false);
            }
        }
        for (String text : BAD_TEXTS) {
            get("/api/deliveries", "destination", text, true);
            get("/api/rejections", "source", text, true);
        }
        get("/api/rejections", "origin", "x".repeat(600), true);
        for (String id : List.of("no-such-id", "x".repeat(3000), "%00", "1", "01933a6e-7c1f-7a2b-9c3d-4e5f6071829",
                "01933a6e-7c1f-7a2b-9c3d-4e5f60718293-0", "' OR '1'='1", "%20", "%E2%82%AC")) {
            String segment = id.contains("%") ? id : URLEncoder.encode(id, StandardCharsets.UTF_8);
            book.add("message id " + JsonCases.shown(id), "GET", "/api/messages/" + segment, Map.of(), null, true, null);
            book.add("replay of message id " + JsonCases.shown(id), "POST", "/api/messages/" + segment + "/replay", Map.of(),
                    null, true, null);
        }
        String unknown = UUID.randomUUID().toString();
        book.add("unknown message id", "GET", "/api/messages/" + unknown, Map.of(), null, true, null);
        book.add("unknown message id, upper case", "GET", "/api/messages/" + unknown.toUpperCase(), Map.of(), null, true, null);
        book.add("replay of an unknown message to a long destination", "POST", "/api/messages/" + unknown
                + "/replay?destination=" + "d".repeat(300), Map.of(), null, true, null);
        // A broken percent-encoding (?a=%zz) is refused by the HTTP server itself with a bare 400 before Weft sees
        // the request (README, "Operations API"): not part of the suite.
        for (String junk : List.of("?limit=1&limit=2", "?=", "?&&", "?" + "q".repeat(3000) + "=1", "?limit=%31%30")) {
            book.add("raw query " + JsonCases.shown(junk), "GET", "/api/messages" + junk, Map.of(), null, false, null);
            book.add("raw query " + JsonCases.shown(junk), "GET", "/api/systems" + junk, Map.of(), null, false, null);
        }
        book.add("POST on a GET resource", "POST", "/api/messages", Map.of("Content-Type", "application/json"),
                CaseBook.utf8("{}"), true, null);
        book.add("DELETE on the inbound edge", "DELETE", "/inbound/erp/production-orders", Map.of(), null, true, null);
        book.add("GET on the inbound edge", "GET", "/inbound/erp/production-orders", Map.of(), null, true, null);
        book.add("unknown system", "POST", "/inbound/" + "s".repeat(300) + "/orders", Map.of("Content-Type", "application/json"),
                CaseBook.utf8("{}"), true, null);
        book.add("system name with odd characters", "POST", "/inbound/ERP%00/production-orders",
                Map.of("Content-Type", "application/json"), CaseBook.utf8("{}"), true, null);
        book.add("file route is no HTTP resource", "POST", "/inbound/wms/goods-receipts",
                Map.of("Content-Type", "application/json"), CaseBook.utf8("{}"), true, null);
    }

    /** A GET with one query parameter; a {@code %}-sequence in the value is sent as it is (pre-encoded). */
    private void get(String path, String name, String value, boolean mustRefuse) {
        String encoded = value.contains("%") ? value : URLEncoder.encode(value, StandardCharsets.UTF_8);
        book.add(name + "=" + JsonCases.shown(value), "GET", path + "?" + name + "=" + encoded, Map.of(), null, mustRefuse, null);
    }
}
