package io.weft.mapping;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A type error inside a JSONata function ({@code $number("3OO")}, which the engine reports as a bare
 * NumberFormatException) or an operator (text + number, which it reports without a position) names the
 * mapping line, the expression and the input path like every other mapping error: over HTTP a 422, and
 * nothing journaled.
 */
@QuarkusTest
@TestProfile(TestStores.H2.class)
class MappingTypeErrorTest {
    @TempDir
    Path dir;

    @Test
    void aQuantityThatIsNotANumberIsA422NamingLineExpressionAndInput() throws IOException {
        String asn = Files.readString(Path.of("mappings/supplier/examples/ShipmentNotice.in/one-line.input.xml"))
                .replace("<DespatchId>ASN-77001</DespatchId>", "<DespatchId>ASN-3OO</DespatchId>")
                .replace(">1000</Qty>", ">3OO</Qty>");
        String mapping = Files.readString(Path.of("mappings/supplier/ShipmentNotice.in.jsonata"));
        int line = lineOf(mapping, "$number(Qty._text)");

        given().contentType("application/xml").body(asn).when().post("/inbound/supplier/shipment-notices")
                .then().statusCode(422).contentType(containsString("application/problem+json"))
                .body("detail", containsString("'3OO' is not a number ($number)"))
                .body("errors[0].mapping", equalTo("supplier/ShipmentNotice.in.jsonata"))
                .body("errors[0].expression", containsString("line " + line + ","))
                .body("errors[0].expression", containsString("$number(Qty._text)"))
                .body("errors[0].input", contains("$.Line.Qty._text"));
        given().get("/api/messages?businessKey=ASN-3OO").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void anOperatorOnTextNamesItsLineAndInput() throws IOException {
        Files.writeString(dir.resolve("Sum.in.jsonata"), """
                {
                  "order": order,
                  "total": qty + 1
                }
                """);
        Mappings mapper = Mappings.standalone(dir);

        MappingException e = assertThrows(MappingException.class,
                () -> mapper.map("{\"order\": \"A1\", \"qty\": \"3OO\"}", "Sum.in.jsonata"));
        assertTrue(e.expression().startsWith("line 3, column "), e.expression());
        assertTrue(e.expression().contains("\"total\": qty + 1"), e.expression());
        assertEquals(List.of("$.qty"), e.inputPaths());
        assertTrue(e.getMessage().contains("must evaluate to a number"), e.getMessage());
    }

    @Test
    void aFunctionFailingOnANestedValueNamesThePathOfThatValue() throws IOException {
        Files.writeString(dir.resolve("Lines.in.jsonata"), """
                {
                  "id": id,
                  "lines": lines.{
                    "no": $number(no),
                    "qty": $number(qty)
                  }[]
                }
                """);
        Mappings mapper = Mappings.standalone(dir);

        MappingException e = assertThrows(MappingException.class, () -> mapper.map(
                "{\"id\": \"X\", \"lines\": [{\"no\": \"1\", \"qty\": \"5\"}, {\"no\": \"2\", \"qty\": \"3OO\"}]}",
                "Lines.in.jsonata"));
        assertTrue(e.expression().startsWith("line 5, column "), e.expression());
        assertEquals(List.of("$.lines[1].qty"), e.inputPaths());
        assertTrue(e.getMessage().contains("'3OO' is not a number ($number)"), e.getMessage());
    }

    private static int lineOf(String text, String needle) {
        return (int) text.substring(0, text.indexOf(needle)).chars().filter(c -> c == '\n').count() + 1;
    }
}
