package io.weft.spoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.Settle;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample plant's other spokes end to end, against real peers: the supplier portal (REST XML), the CRM
 * (REST JSON), the ERP as a receiver (REST JSON) and the WMS (CSV files in real folders), each checked in the
 * destination's own format and in the journal.
 */
@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class PlantSpokesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLOW = Duration.ofSeconds(20);

    @BeforeEach
    void destinationsAccept() {
        Destinations.erp().resetAll();
        Destinations.supplier().resetAll();
        Destinations.erp().stubFor(post(urlMatching("/api/.*")).willReturn(aResponse().withStatus(201)));
        Destinations.supplier().stubFor(post(urlEqualTo("/purchase-orders")).willReturn(aResponse().withStatus(200)));
    }

    // --- supplier portal: XML in ------------------------------------------------------------------------

    @Test
    void aSupplierShippingNoticeInXmlReachesTheErpAsJsonAndTheWmsAsACsvFile() throws Exception {
        String asn = "ASN-" + Orders.nextOrderNumber();
        String id = given().contentType("application/xml").body(despatchAdvice(asn))
                .post("/inbound/supplier/shipment-notices").then().statusCode(202)
                .body("duplicate", equalTo(false)).extract().path("id");

        JsonNode erp = awaitOneRequest("/api/inbound-deliveries", id);
        assertEquals(asn, erp.path("LIFEX").asText());
        assertEquals("SUP-88", erp.path("LIFNR").asText());
        assertEquals("4500001234", erp.path("EBELN").asText());
        assertEquals("MAT-4711", erp.path("ITEMS").path(0).path("MATNR").asText(), "supplier part mapped to our material");
        assertEquals(1000, erp.path("ITEMS").path(0).path("LFIMG").asInt());
        assertEquals("PC", erp.path("ITEMS").path(0).path("VRKME").asText(), "unit in the ERP's code");

        Path file = WmsFiles.awaitOutboxFile(Destinations.wmsOutbox(), "ShipmentNotice", id, FLOW);
        assertEquals(List.of("asn", "po", "site", "supplier", "shipped", "eta", "line", "sku", "qty", "uom", "lot"),
                WmsFiles.header(file));
        assertEquals(List.of(Map.ofEntries(Map.entry("asn", asn), Map.entry("po", "4500001234"), Map.entry("site", "WH-P1"),
                Map.entry("supplier", "SUP-88"), Map.entry("shipped", "2026-11-26"), Map.entry("eta", "2026-11-28"),
                Map.entry("line", "1"), Map.entry("sku", "MAT-4711"), Map.entry("qty", "1000"), Map.entry("uom", "EA"),
                Map.entry("lot", "B-5521"))), WmsFiles.rows(file));

        await().atMost(FLOW).untilAsserted(() -> given().get("/api/messages/" + id).then().statusCode(200)
                .body("message.status", equalTo("DELIVERED"))
                .body("envelope.type", equalTo("ShipmentNotice"))
                .body("envelope.source", equalTo("/plants/P1/systems/supplier"))
                .body("envelope.subject", equalTo(asn))
                .body("deliveries.destination", containsInAnyOrder("erp", "wms")));
    }

    @Test
    void malformedXmlIsRefusedWithLineAndColumnAndNothingIsStored() {
        String asn = "ASN-" + Orders.nextOrderNumber();
        String broken = despatchAdvice(asn).replace("</OrderRef>", "</OrderReference>");
        given().contentType("application/xml").body(broken).post("/inbound/supplier/shipment-notices").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("line 5, column"));
        // A DOCTYPE (entity expansion, external entities) is refused before any XML reader resolves it.
        given().contentType("application/xml").body("<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x \"y\">]>\n<d>&x;</d>")
                .post("/inbound/supplier/shipment-notices").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("DOCTYPE"));
        // The supplier speaks XML: JSON is the wrong media type for it, and XML for the (JSON) ERP.
        given().contentType("application/json").body("{\"DespatchId\": \"" + asn + "\"}")
                .post("/inbound/supplier/shipment-notices").then().statusCode(415)
                .body("detail", containsString("application/xml"));
        given().contentType("application/xml").body(despatchAdvice(asn)).post("/inbound/erp/production-orders")
                .then().statusCode(415);
        given().queryParam("businessKey", asn).get("/api/messages").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void theWmsFileRouteIsNotAnHttpResource() {
        given().contentType("application/json").body("[]").post("/inbound/wms/goods-receipts").then().statusCode(404);
    }

    // --- MES: production reports in, to the ERP (and the QMS) ---------------------------------------------

    @Test
    void anMesProductionReportReachesTheErpAsAConfirmation() throws Exception {
        String order = Orders.nextOrderNumber();
        String id = given().contentType("application/json").body("""
                {"workOrderId": "%s", "line": "P1", "productCode": "MAT-4711", "operation": 10, "goodQty": 480,
                 "scrapQty": 20, "unit": "EA", "status": "COMPLETED", "reportedAt": "2026-12-03T14:30:00Z",
                 "lots": [{"lotId": "L-1", "qty": 480}]}""".formatted(order))
                .post("/inbound/mes/production-performance").then().statusCode(202).extract().path("id");

        JsonNode erp = awaitOneRequest("/api/confirmations", id);
        assertEquals(order, erp.path("orderNumber").asText());
        assertEquals("480.000", erp.path("yield").asText());
        assertEquals("20.000", erp.path("scrap").asText());
        assertEquals("PC", erp.path("unit").asText(), "unit in the ERP's code");
        assertEquals("X", erp.path("final").asText());
        given().get("/api/messages/" + id).then().body("envelope.type", equalTo("ProductionPerformance"))
                .body("envelope.subject", equalTo(order)).body("envelope.data.lots[0].lot", equalTo("L-1"))
                .body("deliveries.destination", containsInAnyOrder("erp", "qms"));
    }

    // --- CRM: JSON in, to the ERP ----------------------------------------------------------------------

    @Test
    void aCrmSalesOrderReachesTheErp() throws Exception {
        String so = "SO-" + Orders.nextOrderNumber();
        String id = given().contentType("application/json").body("""
                {"orderId": "%s", "account": {"id": "C-1001", "name": "Example Tools Ltd"}, "createdAt": "2026-11-25",
                 "deliveryPlant": "P1", "wantedBy": "2026-12-10", "stage": "won",
                 "items": [{"pos": 10, "product": "MAT-4711", "qty": 100, "uom": "PCS"}]}""".formatted(so))
                .post("/inbound/crm/sales-orders").then().statusCode(202).extract().path("id");

        JsonNode erp = awaitOneRequest("/api/sales-orders", id);
        assertEquals(so, erp.path("VBELN").asText());
        assertEquals("C-1001", erp.path("KUNNR").asText());
        assertEquals("2026-12-10", erp.path("VDATU").asText());
        assertEquals(100, erp.path("ITEMS").path(0).path("KWMENG").asInt());
        assertEquals("PC", erp.path("ITEMS").path(0).path("VRKME").asText());
        await().atMost(FLOW).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("message.status", equalTo("DELIVERED")).body("envelope.data.status", equalTo("CONFIRMED"))
                .body("deliveries.destination", equalTo(List.of("erp"))));
    }

    // --- ERP purchase order: to the supplier as XML, to the WMS as a file --------------------------------

    @Test
    void anErpPurchaseOrderReachesTheSupplierAsXmlAndTheWmsAsACsvFile() throws Exception {
        String po = "45" + Orders.nextOrderNumber();
        String id = given().contentType("application/json").body("""
                {"EBELN": "%s", "LIFNR": "SUP-88", "WERKS": "P1", "BEDAT": "2026-11-20", "WAERS": "EUR",
                 "ITEMS": [{"EBELP": 10, "MATNR": "MAT-4711", "MENGE": 1000, "MEINS": "PC", "EINDT": "2026-11-28", "NETPR": 1.25},
                           {"EBELP": 20, "MATNR": "MAT-4712", "MENGE": 250, "MEINS": "PC", "EINDT": "2026-11-30"}]}""".formatted(po))
                .post("/inbound/erp/purchase-orders").then().statusCode(202).extract().path("id");

        Settle.awaitAndHold(FLOW, () -> Destinations.supplier().verify(1, postRequestedFor(urlEqualTo("/purchase-orders"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id))
                .withHeader("Content-Type", WireMock.containing("application/xml"))));
        String xml = Destinations.supplier().findAll(postRequestedFor(urlEqualTo("/purchase-orders"))).stream()
                .filter(r -> id.equals(r.getHeader("Idempotency-Key"))).findFirst().orElseThrow().getBodyAsString();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("PurchaseOrder", root.getTagName());
        assertEquals(po, text(root, "Number"));
        assertEquals("SUP-88", text(root, "SupplierId"));
        assertEquals(2, root.getElementsByTagName("Item").getLength());
        Element first = (Element) root.getElementsByTagName("Item").item(0);
        assertEquals("SP-88-1002", text(first, "Part"), "our material number as the supplier's part number");
        assertEquals("1000", text(first, "Qty"));
        assertEquals("1.25", text(first, "Price"));

        Path file = WmsFiles.awaitOutboxFile(Destinations.wmsOutbox(), "PurchaseOrder", id, FLOW);
        List<Map<String, String>> rows = WmsFiles.rows(file);
        assertEquals(List.of("po", "site", "supplier", "status", "line", "sku", "qty", "uom", "due"), WmsFiles.header(file));
        assertEquals(2, rows.size());
        assertEquals(Map.of("po", po, "site", "WH-P1", "supplier", "SUP-88", "status", "CREATED", "line", "20",
                "sku", "MAT-4712", "qty", "250", "uom", "EA", "due", "2026-11-30"), rows.get(1));
        await().atMost(FLOW).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("message.status", equalTo("DELIVERED")).body("envelope.subject", equalTo(po))
                .body("deliveries.destination", containsInAnyOrder("supplier", "wms")));
    }

    // --- WMS: goods receipt files in --------------------------------------------------------------------

    @Test
    void aWmsGoodsReceiptFileIsPublishedRowByRowToTheErpAndMovedToDone() throws Exception {
        String gr = "GR-" + Orders.nextOrderNumber();
        String name = gr + ".csv";
        WmsFiles.drop(Destinations.wmsInbox(), name, """
                receipt;site;po;received;line;sku;qty;uom;lot;bin
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;1;MAT-4711;1000;EA;L-2026-1128-01;A-01-03
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;2;MAT-4712;250;PCS;;A-01-04
                """.formatted(gr));

        Path done = Destinations.wmsInbox().resolve("done").resolve(name);
        await().atMost(FLOW).until(() -> Files.isRegularFile(done));
        assertFalse(Files.exists(Destinations.wmsInbox().resolve(name)), "the file left the inbox");
        assertFalse(Files.exists(Destinations.wmsInbox().resolve("done").resolve(name + ".errors.csv")), "no error report");

        List<String> ids = given().queryParam("businessKey", gr).get("/api/messages").then().statusCode(200)
                .body("", hasSize(2)).body("source", everyItem(equalTo("wms"))).body("type", everyItem(equalTo("GoodsReceipt")))
                .extract().path("id");
        for (String id : ids) {
            JsonNode erp = awaitOneRequest("/api/goods-receipts", id);
            assertEquals(gr, erp.path("MBLNR").asText());
            assertEquals("2026-11-28", erp.path("BUDAT").asText());
            assertEquals(1, erp.path("ITEMS").size(), "one receipt line per row");
        }
        await().atMost(FLOW).untilAsserted(() -> {
            for (String id : ids) {
                given().get("/api/messages/" + id).then().body("message.status", equalTo("DELIVERED"))
                        .body("envelope.sourcemessageid", containsString(name + ":"));
            }
        });
    }

    @Test
    void aWmsFileWithBadRowsIsReportedRowByRowWhileTheGoodRowsFlowAndTheSpokeKeepsRunning() throws Exception {
        String gr = "GR-" + Orders.nextOrderNumber();
        String name = gr + "-mixed.csv";
        WmsFiles.drop(Destinations.wmsInbox(), name, """
                receipt;site;po;received;line;sku;qty;uom;lot;bin
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;1;MAT-4711;1000;EA;L-1;A-01-03
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;2;MAT-4712;250
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;3;MAT-4712;250;BOX;;A-01-04
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;4;MAT-4713;-5;EA;;A-01-04
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;5;MAT-4714;20;EA;;A-01-05
                """.formatted(gr));
        // A file whose header has the wrong columns: every row is refused, none is lost silently.
        String wrongColumns = gr + "-columns.csv";
        WmsFiles.drop(Destinations.wmsInbox(), wrongColumns, """
                receipt;site;purchaseOrder;date;pos;article;amount;unit
                %1$s-X;WH-P1;4500001234;2026-11-28T07:15:00Z;1;MAT-4711;1000;EA
                """.formatted(gr));

        Path doneFolder = Destinations.wmsInbox().resolve("done");
        Path report = doneFolder.resolve(name + ".errors.csv");
        await().atMost(FLOW).until(() -> Files.isRegularFile(doneFolder.resolve(name)) && Files.isRegularFile(report)
                && Files.isRegularFile(doneFolder.resolve(wrongColumns + ".errors.csv")));

        List<String> lines = WmsFiles.lines(report);
        assertEquals("file;line;problem;content", lines.get(0));
        assertEquals(4, lines.size(), "three refused rows: " + lines);
        assertTrue(lines.get(1).startsWith(name + ";3;\"expected 10 values"), lines.get(1));
        assertTrue(lines.get(2).startsWith(name + ";4;") && lines.get(2).contains("BOX"), lines.get(2));
        assertTrue(lines.get(3).startsWith(name + ";5;") && lines.get(3).contains("quantity"), lines.get(3));
        List<String> columnsReport = WmsFiles.lines(doneFolder.resolve(wrongColumns + ".errors.csv"));
        assertEquals(2, columnsReport.size(), columnsReport.toString());
        assertTrue(columnsReport.get(1).startsWith(wrongColumns + ";2;"), columnsReport.get(1));

        // The good rows (lines 2 and 6) are journaled and go to the ERP.
        given().queryParam("businessKey", gr).get("/api/messages").then().body("", hasSize(2));
        List<String> ids = given().queryParam("businessKey", gr).get("/api/messages").then().extract().path("id");
        for (String id : ids) {
            awaitOneRequest("/api/goods-receipts", id);
        }
        given().queryParam("businessKey", gr + "-X").get("/api/messages").then().body("", hasSize(0));

        // The refused rows are queryable, with file, line and problem.
        given().queryParam("source", "wms").queryParam("origin", name).get("/api/rejections").then().statusCode(200)
                .body("", hasSize(3))
                .body("locator", containsInAnyOrder("line 3", "line 4", "line 5"))
                .body("find { it.locator == 'line 4' }.reason", equalTo("mapping"))
                .body("find { it.locator == 'line 4' }.problem", containsString("BOX"))
                .body("find { it.locator == 'line 5' }.reason", equalTo("schema"))
                .body("find { it.locator == 'line 3' }.reason", equalTo("malformed"))
                .body("routeId", everyItem(equalTo("wms-in-goods-receipts")));
        given().queryParam("origin", wrongColumns).get("/api/rejections").then().body("", hasSize(1));

        // The spoke keeps running: the next file is read as usual.
        String next = "GR-" + Orders.nextOrderNumber();
        WmsFiles.drop(Destinations.wmsInbox(), next + ".csv", """
                receipt;site;po;received;line;sku;qty;uom;lot;bin
                %s;WH-P2;;2026-11-29T09:00:00Z;1;MAT-5000;5;KG;;B-02-01
                """.formatted(next));
        Settle.awaitAndHold(FLOW, () -> given().queryParam("businessKey", next).get("/api/messages").then()
                .body("", hasSize(1)));
        given().queryParam("businessKey", next).get("/api/messages").then().body("[0].source", equalTo("wms"));
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** The one request the ERP received for message {@code id} at {@code path}, as JSON. */
    private static JsonNode awaitOneRequest(String path, String id) throws Exception {
        Settle.awaitAndHold(FLOW, () -> Destinations.erp().verify(1, postRequestedFor(urlEqualTo(path))
                .withHeader("Idempotency-Key", WireMock.equalTo(id))
                .withHeader("Content-Type", WireMock.containing("application/json"))));
        LoggedRequest request = Destinations.erp().findAll(postRequestedFor(urlEqualTo(path))).stream()
                .filter(r -> id.equals(r.getHeader("Idempotency-Key"))).findFirst().orElseThrow();
        return JSON.readTree(request.getBodyAsString());
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent();
    }

    static String despatchAdvice(String asn) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <DespatchAdvice>
                  <DespatchId>%s</DespatchId>
                  <Supplier><Id>SUP-88</Id><Name>Acme Fasteners</Name></Supplier>
                  <OrderRef>4500001234</OrderRef>
                  <DeliverTo>P1</DeliverTo>
                  <ShipDate>2026-11-26</ShipDate>
                  <ExpectedArrival>2026-11-28</ExpectedArrival>
                  <Carrier><Name>DHL Freight</Name></Carrier>
                  <Line><No>1</No><Part>SP-88-1002</Part><Qty uom="PCS">1000</Qty><Batch>B-5521</Batch></Line>
                </DespatchAdvice>
                """.formatted(asn);
    }
}
