package io.weft.badinput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The valid messages the suite mutates: the sample plant's inbound examples (mappings/<system>/examples), one
 * per HTTP entry point, each with the path to its business key so that a case can put its own marker there.
 */
final class Samples {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A valid JSON message for an entry point; {@code keyPath}: the field names leading to the business key. */
    record JsonSample(String path, Map<String, String> headers, ObjectNode body, List<String> keyPath) {

        ObjectNode withKey(String marker) {
            ObjectNode copy = body.deepCopy();
            ObjectNode parent = copy;
            for (String field : keyPath.subList(0, keyPath.size() - 1)) {
                parent = (ObjectNode) parent.get(field);
            }
            parent.put(keyPath.get(keyPath.size() - 1), marker);
            return copy;
        }
    }

    private Samples() {
    }

    static List<JsonSample> json() {
        return List.of(
                new JsonSample("/inbound/erp/production-orders", Map.of(), read("""
                        {"AUFNR": "1", "WERKS": "P1", "MATNR": "MAT-4711", "GAMNG": 500, "GMEIN": "PC",
                         "GSTRP": "2026-12-01", "GLTRP": "2026-12-03", "STATUS": "REL"}"""), List.of("AUFNR")),
                new JsonSample("/inbound/erp/production-orders", Map.of("X-Api-Version", "2"), read("""
                        {"order": {"number": "1", "plant": "P1"}, "material": {"id": "MAT-4711"},
                         "quantity": {"value": 500, "unit": "PC"}, "schedule": {"start": "2026-12-01", "end": "2026-12-03"},
                         "status": "RELEASED"}"""), List.of("order", "number")),
                new JsonSample("/inbound/erp/purchase-orders", Map.of(),
                        file("erp/examples/PurchaseOrder.in/basic.input.json"), List.of("EBELN")),
                new JsonSample("/inbound/mes/production-performance", Map.of(),
                        file("mes/examples/ProductionPerformance.in/final-report.input.json"), List.of("workOrderId")),
                new JsonSample("/inbound/crm/sales-orders", Map.of(),
                        file("crm/examples/SalesOrder.in/basic.input.json"), List.of("orderId")));
    }

    /** The supplier portal's despatch advice (XML); {@code %s} is where its business key (DespatchId) goes. */
    static String xmlTemplate() {
        try {
            String xml = Files.readString(Path.of("mappings/supplier/examples/ShipmentNotice.in/one-line.input.xml"));
            return xml.replace("%", "%%").replace("<DespatchId>ASN-77001</DespatchId>", "<DespatchId>%s</DespatchId>").strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode file(String path) {
        try {
            return (ObjectNode) JSON.readTree(Path.of("mappings", path).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode read(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
