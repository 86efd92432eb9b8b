package io.weft.hub;

import io.weft.testing.Orders;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * One hub, two plants: the CRM belongs to plant P2 ({@code weft.systems.crm.plant=P2}), the ERP to the hub's
 * default plant P1 ({@code weft.plant}). Each message's envelope names its own system's plant in {@code source}.
 * Run on both stores by the subclasses.
 */
abstract class PlantPerSystem {
    @Test
    void eachSystemsMessagesCarryItsOwnPlantInTheirSource() throws IOException {
        String erpId = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        String crmOrder = Files.readString(Path.of("mappings/crm/examples/SalesOrder.in/basic.input.json"));
        String crmId = given().contentType("application/json").body(crmOrder).when().post("/inbound/crm/sales-orders")
                .then().statusCode(202).extract().path("id");

        given().get("/api/messages/" + erpId).then().statusCode(200)
                .body("envelope.source", equalTo("/plants/P1/systems/erp"));
        given().get("/api/messages/" + crmId).then().statusCode(200)
                .body("envelope.source", equalTo("/plants/P2/systems/crm"));
    }
}
