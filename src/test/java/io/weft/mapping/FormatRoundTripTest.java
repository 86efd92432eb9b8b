package io.weft.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XML, CSV and fixed-width messages of the sample plant go to canonical and back: native text -> JSON
 * (bean formats) -> canonical (the system's .in mapping, schema-valid) -> native JSON (its .out mapping)
 * -> native text, equal to what came in.
 */
class FormatRoundTripTest {
    private static final Path MAPPINGS = Path.of("mappings");
    private final ObjectMapper json = new ObjectMapper();
    private final Formats formats = new Formats(json, MAPPINGS);
    private final Mappings mapper = Mappings.standalone(MAPPINGS);
    private final CanonicalSchemas schemas = new CanonicalSchemas(json, MAPPINGS.resolve("schemas"));

    @Test
    void aSupplierXmlOrderConfirmationRoundTripsThroughCanonical() throws Exception {
        String xml = Files.readString(MAPPINGS.resolve("supplier/examples/PurchaseOrder.in/confirmation.input.xml"));

        JsonNode canonical = canonical("PurchaseOrder", mapper.map(formats.xmlToJson(xml), "supplier/PurchaseOrder.in.jsonata"));
        assertEquals("MAT-4712", canonical.at("/lines/1/material").asText(), "supplier part SP-88-1003 is our MAT-4712");
        assertEquals("EA", canonical.at("/lines/1/unit").asText(), "the supplier's PCS is EA");

        String back = formats.jsonToXml(mapper.map(cloudEvent(canonical), "supplier/PurchaseOrder.out.jsonata"), "PurchaseOrder");
        assertTrue(back.startsWith("<?xml"), back);
        assertTrue(back.contains("<Item><No>10</No><Part>SP-88-1002</Part>"), back);
        // Same document, apart from the unit the canonical model normalised (PCS -> EA).
        XmlMapper xmlTree = new XmlMapper();
        assertEquals(xmlTree.readTree(xml.replace("<Uom>PCS</Uom>", "<Uom>EA</Uom>")), xmlTree.readTree(back));
    }

    @Test
    void aWmsCsvReceiptRoundTripsThroughCanonical() throws Exception {
        String csv = """
                receipt;site;po;received;line;sku;qty;uom;lot;bin
                GR-2001;WH-P2;;2026-11-29T10:00:00Z;1;MAT-5000;12.5;KGM;L-77;B-02-01
                GR-2001;WH-P2;;2026-11-29T10:00:00Z;2;MAT-4711;40;EA;;B-02-02
                """;

        JsonNode canonical = canonical("GoodsReceipt", mapper.map(formats.csvToJson(csv, ";"), "wms/GoodsReceipt.in.jsonata"));
        assertEquals("P2", canonical.path("plant").asText(), "WMS site WH-P2 is plant P2");
        assertEquals(12.5, canonical.at("/lines/0/quantity").asDouble());
        assertTrue(canonical.path("poNumber").isMissingNode(), "an empty po column is no poNumber");

        String back = formats.jsonToCsv(mapper.map(cloudEvent(canonical), "wms/GoodsReceipt.out.jsonata"), ";");
        assertEquals(csv, back);
    }

    @Test
    void anErpFixedWidthConfirmationRoundTripsThroughCanonical() throws Exception {
        String records = Files.readString(MAPPINGS.resolve("erp/examples/ProductionPerformance.in/final-confirmation.input.txt"));

        String asJson = formats.fixedToJson(records, "erp/ProductionPerformance.layout.xml");
        JsonNode canonical = canonical("ProductionPerformance", mapper.map(asJson, "erp/ProductionPerformance.in.jsonata"));
        assertEquals(480, canonical.path("yield").asInt());
        assertEquals("2026-12-02T14:30:00Z", canonical.path("reportedAt").asText());

        String back = formats.jsonToFixed(mapper.map(cloudEvent(canonical), "erp/ProductionPerformance.out.jsonata"),
                "erp/ProductionPerformance.layout.xml");
        assertEquals(records, back);
        assertEquals(88, back.lines().findFirst().orElseThrow().length());
    }

    @Test
    void aRecordThatDoesNotFitTheLayoutIsAMappingErrorNamingTheLine() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(MappingException.class,
                () -> formats.fixedToJson("CONF too short\n", "erp/ProductionPerformance.layout.xml"));
        assertEquals("erp/ProductionPerformance.layout.xml", e.mappingFile());
        assertEquals(List.of("line 1"), e.inputPaths());
    }

    /** Parses the mapping's output and checks it against the canonical schema of {@code type}. */
    private JsonNode canonical(String type, String mapped) throws Exception {
        JsonNode data = json.readTree(mapped);
        schemas.validate(type, data);
        return data;
    }

    private String cloudEvent(JsonNode data) {
        ObjectNode event = json.createObjectNode().put("specversion", "1.0");
        event.set("data", data);
        return event.toString();
    }
}
