package io.weft.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Namespaced XML both ways, on the P2 MES's B2MML sample: over HTTP a document in the wrong namespace or with
 * the wrong root element is a 422 naming the expected and the found (nothing journaled), the right one is
 * accepted with plant P2 in its source; the document goes native → canonical → native unchanged (namespaces,
 * prefixes, attributes), and repeated elements become arrays.
 */
@QuarkusTest
@TestProfile(TestStores.H2.class)
class NamespacedXmlTest {
    private static final Path SAMPLE = Path.of("mappings/mesb/examples/ProductionPerformance.in/two-lots.input.xml");
    private static final String B2MML = "http://www.mesa.org/xml/B2MML";
    private final ObjectMapper json = new ObjectMapper();
    private final Formats formats = new Formats(json, Path.of("mappings"));
    private final Mappings mapper = Mappings.standalone(Path.of("mappings"));

    @Test
    void aDocumentInAnotherNamespaceIsA422NamingBoth() throws Exception {
        String other = Files.readString(SAMPLE).replace("xmlns:b2mml=\"" + B2MML + "\"", "xmlns:b2mml=\"urn:other-vendor:b2mml\"")
                .replace("2000456", "2000457");

        post(other).then().statusCode(422).contentType(containsString("application/problem+json"))
                .body("detail", containsString("expected root element {" + B2MML + "}ProductionPerformance but found "
                        + "{urn:other-vendor:b2mml}ProductionPerformance"));
        given().get("/api/messages?businessKey=2000457").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aDocumentWithAnotherRootIsA422NamingBoth() throws Exception {
        String schedule = Files.readString(SAMPLE).replace("b2mml:ProductionPerformance", "b2mml:ProductionSchedule")
                .replace("2000456", "2000458");

        post(schedule).then().statusCode(422)
                .body("detail", containsString("expected root element {" + B2MML + "}ProductionPerformance but found {"
                        + B2MML + "}ProductionSchedule"));
        given().get("/api/messages?businessKey=2000458").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void theRightDocumentIsAcceptedAsPlantP2s() throws Exception {
        String id = post(Files.readString(SAMPLE).replace("2000456", "2000459")).then().statusCode(202).extract().path("id");

        given().get("/api/messages/" + id).then().statusCode(200)
                .body("envelope.source", equalTo("/plants/P2/systems/mesb"))
                .body("envelope.data.yield", equalTo(480))
                .body("envelope.data.lots.size()", equalTo(2));
    }

    @Test
    void repeatedElementsBecomeArraysAndNamespacesAreKept() throws Exception {
        JsonNode tree = json.readTree(formats.xmlToJson(Files.readString(SAMPLE)));

        assertEquals("ProductionPerformance", tree.path("_root").asText());
        assertEquals(B2MML, tree.path("_ns").asText());
        assertEquals("urn:weft:sample:mesb", tree.path("_xmlns").path("mesb").asText());
        assertTrue(tree.path("ProductionResponse").isArray(), tree.toString());
        assertEquals(2, tree.path("ProductionResponse").size());
        assertEquals("L-26-0102", tree.at("/ProductionResponse/1/ID").asText());
        assertEquals("EA", tree.at("/ProductionResponse/0/SegmentResponse/MaterialProducedActual/Quantity/unitCode").asText());
        assertEquals("urn:weft:sample:mesb", tree.at("/Scrap/_ns").asText(), "an element in another namespace says so");
        assertTrue(tree.at("/HierarchyScope/_ns").isMissingNode(), "an element in its parent's namespace does not");
    }

    @Test
    void theSampleRoundTripsThroughCanonicalUnchanged() throws Exception {
        String xml = Files.readString(SAMPLE);

        JsonNode canonical = json.readTree(mapper.map(formats.xmlToJson(xml, "ProductionPerformance", B2MML),
                "mesb/ProductionPerformance.in.jsonata"));
        new CanonicalSchemas(json, Path.of("mappings/schemas")).validate("ProductionPerformance", canonical);
        var event = json.createObjectNode().put("specversion", "1.0");
        event.set("data", canonical);
        String back = formats.jsonToXml(mapper.map(event.toString(), "mesb/ProductionPerformance.out.jsonata"));

        assertTrue(back.startsWith("<?xml"), back);
        assertTrue(back.contains("<b2mml:ProductionPerformance xmlns:b2mml=\"" + B2MML + "\""), back);
        assertTrue(back.contains("<mesb:Scrap unitCode=\"EA\">20</mesb:Scrap>"), back);
        Document original = dom(xml);
        Document roundTripped = dom(back);
        assertTrue(original.getDocumentElement().isEqualNode(roundTripped.getDocumentElement()),
                "same elements, namespaces, prefixes and attributes:\n" + xml + "\n---\n" + back);
    }

    private static io.restassured.response.Response post(String xml) {
        return given().contentType("application/xml").body(xml).when().post("/inbound/mesb/production-performance");
    }

    /** A namespace-aware DOM without the whitespace between elements (which the JSON form does not keep). */
    private static Document dom(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        strip(document.getDocumentElement());
        document.normalizeDocument();
        return document;
    }

    private static void strip(Node node) {
        for (Node child = node.getFirstChild(); child != null; ) {
            Node next = child.getNextSibling();
            if (child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank()) {
                node.removeChild(child);
            } else {
                strip(child);
            }
            child = next;
        }
    }
}
