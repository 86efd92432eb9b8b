package io.weft.testing;

import io.restassured.response.Response;

import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;

/** Sample ERP production orders (DESIGN.md's SAP-style format) and the call that posts them. */
public final class Orders {
    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Orders() {
    }

    public static String nextOrderNumber() {
        return String.valueOf(NEXT.incrementAndGet());
    }

    public static String erpOrder(String orderNumber, String plant) {
        return """
                {"AUFNR": "%s", "WERKS": "%s", "MATNR": "MAT-4711", "GAMNG": 500, "GMEIN": "PC",
                 "GSTRP": "2026-12-01", "GLTRP": "2026-12-03", "STATUS": "REL"}""".formatted(orderNumber, plant);
    }

    /** The same order as {@link #erpOrder} in the ERP's API version 2 (nested, renamed fields). */
    public static String erpOrderV2(String orderNumber, String plant) {
        return """
                {"order": {"number": "%s", "plant": "%s"}, "material": {"id": "MAT-4711"},
                 "quantity": {"value": 500, "unit": "PC"}, "schedule": {"start": "2026-12-01", "end": "2026-12-03"},
                 "status": "RELEASED"}""".formatted(orderNumber, plant);
    }

    public static Response post(String body) {
        return given().contentType("application/json").body(body).when().post("/inbound/erp/production-orders");
    }

    /** Posts an order and returns the journal id Weft answered with. */
    public static String accept(String body) {
        return post(body).then().statusCode(202).extract().path("id");
    }
}
