package io.weft.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonDiffTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void namesEveryDifferenceByPathWithExpectedAndActualValues() throws Exception {
        var expected = json.readTree("""
                {"orderNumber": "1", "quantity": 500, "unit": "EA", "lines": [{"lot": "A"}, {"lot": "B"}], "odd key": 1}""");
        var actual = json.readTree("""
                {"orderNumber": 1, "quantity": 500.0, "unit": "PC", "lines": [{"lot": "A", "qty": 2}], "extra": null, "odd key": 1}""");

        assertEquals(List.of(
                "$.extra: not expected, was null",
                "$.lines[0].qty: not expected, was 2",
                "$.lines[1]: missing, expected {\"lot\":\"B\"}",
                "$.orderNumber: expected \"1\" but was 1",
                "$.unit: expected \"EA\" but was \"PC\""), JsonDiff.diff(expected, actual));
    }

    @Test
    void differencesAreNamedByJsonPointerWithBothValues() throws Exception {
        var live = json.readTree("{\"a/b\": 1, \"lines\": [{\"qty\": 2}], \"unit\": \"EA\", \"gone\": true}");
        var candidate = json.readTree("{\"a/b\": 1.0, \"lines\": [{\"qty\": 3}, 4], \"unit\": \"PC\", \"new\": null}");
        assertEquals(List.of(
                new JsonDiff.Difference("/lines/0/qty", "2", "3"),
                new JsonDiff.Difference("/lines/1", null, "4"),
                new JsonDiff.Difference("/unit", "\"EA\"", "\"PC\""),
                new JsonDiff.Difference("/gone", "true", null),
                new JsonDiff.Difference("/new", null, "null")), JsonDiff.differences(live, candidate));
        assertEquals(List.of(new JsonDiff.Difference("/", "1", "\"x\"")),
                JsonDiff.differences(json.readTree("1"), json.readTree("\"x\"")));
    }

    @Test
    void equalDocumentsHaveNoDifferences() throws Exception {
        var doc = json.readTree("{\"a\": [1, 2.50, {\"b\": true}]}");
        assertEquals(List.of(), JsonDiff.diff(doc, json.readTree("{\"a\": [1.0, 2.5, {\"b\": true}]}")));
    }
}
