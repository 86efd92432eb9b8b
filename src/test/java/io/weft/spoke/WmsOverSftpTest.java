package io.weft.spoke;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.SftpServer;
import io.weft.testing.TestStores;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same WMS spoke and folder Kamelets over SFTP, against a real OpenSSH server on loopback (key login, host key
 * checked): only weft.systems.wms.inbox / outbox and the credentials differ from the local-folder setup.
 */
@QuarkusTest
@TestProfile(TestStores.PostgresWithSftpWms.class)
class WmsOverSftpTest {
    private static final Duration FLOW = Duration.ofSeconds(30);

    @BeforeEach
    void erpAccepts() {
        Destinations.erp().resetAll();
        Destinations.erp().stubFor(post(urlMatching("/api/.*")).willReturn(aResponse().withStatus(201)));
        Destinations.supplier().resetAll();
        Destinations.supplier().stubFor(post(urlMatching("/.*")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void aGoodsReceiptFileOnTheSftpServerIsPublishedAndMovedToDone() {
        String gr = "GR-" + Orders.nextOrderNumber();
        String name = gr + ".csv";
        WmsFiles.drop(SftpServer.wmsInbox(), name, """
                receipt;site;po;received;line;sku;qty;uom;lot;bin
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;1;MAT-4711;1000;EA;L-1;A-01-03
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;2;MAT-4712;250;PCS;;A-01-04
                """.formatted(gr));
        await().atMost(FLOW).until(() -> Files.isRegularFile(SftpServer.wmsInbox().resolve("done").resolve(name)));
        assertFalse(Files.exists(SftpServer.wmsInbox().resolve(name)));
        given().queryParam("businessKey", gr).get("/api/messages").then().body("", hasSize(2))
                .body("source", everyItem(equalTo("wms")));
    }

    @Test
    void aPurchaseOrderIsWrittenAtomicallyAsACsvFileIntoTheSftpOutbox() {
        String po = "45" + Orders.nextOrderNumber();
        String id = given().contentType("application/json").body("""
                {"EBELN": "%s", "LIFNR": "SUP-88", "WERKS": "P2", "BEDAT": "2026-11-20",
                 "ITEMS": [{"EBELP": 10, "MATNR": "MAT-4711", "MENGE": 40, "MEINS": "PC", "EINDT": "2026-11-28"}]}""".formatted(po))
                .post("/inbound/erp/purchase-orders").then().statusCode(202).extract().path("id");

        Path file = WmsFiles.awaitOutboxFile(SftpServer.wmsOutbox(), "PurchaseOrder", id, FLOW);
        assertEquals(List.of("po", "site", "supplier", "status", "line", "sku", "qty", "uom", "due"), WmsFiles.header(file));
        assertEquals(po, WmsFiles.rows(file).get(0).get("po"));
        assertEquals("WH-P2", WmsFiles.rows(file).get(0).get("site"));
        await().atMost(FLOW).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'wms' }.status", equalTo("DELIVERED")));
        assertTrue(WmsFiles.names(SftpServer.wmsOutbox()).stream().noneMatch(n -> n.startsWith(".weft-")),
                "no temporary file left: " + WmsFiles.names(SftpServer.wmsOutbox()));
    }
}
