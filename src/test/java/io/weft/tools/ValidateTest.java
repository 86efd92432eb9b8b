package io.weft.tools;

import io.weft.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validate command on the shipped plant (no problems) and on copies with one broken file of each kind:
 * it exits non-zero and names the file and the place.
 */
class ValidateTest {
    @TempDir
    Path plant;
    private Path routes;
    private Path mappings;
    private String out;
    private String err;

    @BeforeEach
    void copyTheSamplePlant() throws IOException {
        routes = plant.resolve("routes");
        mappings = plant.resolve("mappings");
        TestFiles.copyTree(Path.of("routes"), routes);
        TestFiles.copyTree(Path.of("mappings"), mappings);
    }

    @Test
    void theShippedPlantHasNoProblems() {
        assertEquals(0, validate(Path.of("routes"), Path.of("mappings")), out + err);
        assertEquals("", out.lines().filter(l -> !l.startsWith("validate:")).reduce("", String::concat));
        assertTrue(out.contains("no problems"), out);
    }

    @Test
    void aRoutePublishingATypeItsSystemIsNotGrantedIsNamed() throws IOException {
        // The grant in the plant's config file, which overrides the packaged settings and leaves the others as they are.
        Path config = Files.createDirectories(plant.resolve("config")).resolve("application.properties");
        Files.writeString(config, "weft.systems.crm.publishes=PurchaseOrder\n");
        Path crm = routes.resolve("systems/crm.camel.yaml");
        String text = Files.readString(crm);

        assertEquals(1, validate(routes, mappings), out + err);
        String expected = "route crm-in-sales-orders publishes SalesOrder, which crm is not granted "
                + "(weft.systems.crm.publishes=PurchaseOrder)";
        int setHeader = lineOf(text, "- setHeader:");
        assertTrue(out.lines().anyMatch(l -> (l.startsWith(crm + ":" + setHeader + ":") || l.startsWith(crm + ":"
                + (setHeader + 1) + ":")) && l.contains(expected)), "expected at the setHeader of WeftType: " + expected
                + "\ngot:\n" + out);
        // Granted, it passes.
        Files.writeString(config, "weft.systems.crm.publishes=SalesOrder\n");
        assertEquals(0, validate(routes, mappings), out + err);
    }

    @Test
    void aRouteFileWithAnUnknownStepIsNamedWithLineAndColumn() throws IOException {
        Path erp = routes.resolve("systems/erp.camel.yaml");
        String broken = Files.readString(erp).replace("- to: bean:hub?method=publish", "- too: bean:hub?method=publish");
        Files.writeString(erp, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(erp + ":" + lineOf(broken, "- too:") + ":" + (columnOf(broken, "- too:") + 2)
                + ": Unknown node id: too");
    }

    @Test
    void aRouteNamingAMissingMappingOrRouteConfigurationIsNamed() throws IOException {
        Path mes = routes.resolve("systems/mes.camel.yaml");
        String broken = Files.readString(mes).replace("'mes/ProductionOrder.out.jsonata'", "'mes/WorkOrder.out.jsonata'")
                .replace("routeConfigurationId: weft-outbound", "routeConfigurationId: weft-outbund");
        Files.writeString(mes, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(mes + ":" + lineOf(broken, "mes/WorkOrder") + ":" + (columnOf(broken, "mes/WorkOrder"))
                + ": no mapping " + mappings.resolve("mes/WorkOrder.out.jsonata"));
        // reported at the "- route:" line of mes-out, the line above its id
        assertReports(mes + ":" + (lineOf(broken, "id: mes-out") - 1)
                + ": route mes-out uses routeConfigurationId 'weft-outbund', which no route file defines");
    }

    @Test
    void aBrokenKameletIsNamedWithTheLineOfEachProblem() throws IOException {
        Files.createDirectories(routes.resolve("kamelets"));
        Path kamelet = routes.resolve("kamelets/mes-http-sink.kamelet.yaml");
        String text = """
                apiVersion: camel.apache.org/v1
                kind: Kamelet
                metadata:
                  name: mes-http-sink
                spec:
                  definition:
                    title: MES HTTP sink
                    properties:
                      url:
                        title: URL
                        type: string
                  template:
                    from:
                      uri: kamelet:source
                      steps:
                        - to: "{{url}}/api/{{path}}"
                """;
        Files.writeString(kamelet, text);

        assertEquals(1, validate(routes, mappings));
        assertReports(kamelet + ":9: property 'url' has no description");
        assertReports(kamelet + ":16:" + (columnOf(text, "{{path}}")) + ": {{path}} is not a declared property");
    }

    @Test
    void aKameletThatCamelCannotParseIsNamedWithLineAndColumn() throws IOException {
        Files.createDirectories(routes.resolve("kamelets"));
        Path kamelet = routes.resolve("kamelets/erp-sink.kamelet.yaml");
        Files.writeString(kamelet, """
                apiVersion: camel.apache.org/v1
                kind: Kamelet
                metadata:
                  name: erp-sink
                  spec: [
                """);

        assertEquals(1, validate(routes, mappings));
        assertReports(kamelet + ":6:1: ");
    }

    @Test
    void aMappingThatDoesNotCompileIsNamedWithLineAndColumn() throws IOException {
        Path mapping = mappings.resolve("mes/ProductionOrder.out.jsonata");
        String broken = Files.readString(mapping).replace("\"line\": data.plant,", "\"line\": data.plant +,");
        Files.writeString(mapping, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(mapping + ":" + lineOf(broken, "data.plant +,") + ":");
        assertReports("does not compile: ");
    }

    @Test
    void aMappingUsingAnUnknownLookupTableIsNamed() throws IOException {
        Path mapping = mappings.resolve("wms/ProductionOrder.out.jsonata");
        String broken = Files.readString(mapping).replace("$weftLookup('plants', data.plant, 'wms')",
                "$weftLookup('plants', data.plant, 'wms-site')");
        Files.writeString(mapping, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(mapping + ":" + lineOf(broken, "wms-site") + ":" + columnOf(broken, "wms-site")
                + ": lookup table 'plants' has no column 'wms-site'; columns: [plant, wms, name]");
    }

    @Test
    void anInvalidSchemaIsNamedWithThePathOfTheProblem() throws IOException {
        Path schema = mappings.resolve("schemas/ShipmentNotice.schema.json");
        Files.writeString(schema, Files.readString(schema).replace("\"type\": \"object\"", "\"type\": \"objekt\""));
        Path notJson = mappings.resolve("schemas/GoodsReceipt.schema.json");
        Files.writeString(notJson, Files.readString(notJson).replaceFirst("\\{", "{,"));

        assertEquals(1, validate(routes, mappings));
        assertReports(schema + ": $.type: ");
        assertReports(notJson + ":1:2: not JSON: ");
    }

    @Test
    void aLookupTableWithADuplicateKeyIsNamedWithTheLine() throws IOException {
        Path units = mappings.resolve("lookups/units.csv");
        String text = Files.readString(units) + "PC,KGM,duplicate\n";
        Files.writeString(units, text);
        Path headerless = mappings.resolve("lookups/colours.csv");
        Files.writeString(headerless, "red\n");

        assertEquals(1, validate(routes, mappings));
        assertReports(units + ":" + text.lines().count() + ": duplicate key 'PC' (first on line " + lineOf(text, "PC,EA") + ")");
        assertReports(headerless + ":1: the header must name at least two columns");
    }

    @Test
    void anExampleWhoseExpectedOutputIsWrongIsNamedWithTheFieldPath() throws IOException {
        Path expected = mappings.resolve("erp/v2/examples/ProductionOrder.in/basic.expected.json");
        Files.writeString(expected, Files.readString(expected).replace("\"EA\"", "\"PC\""));

        assertEquals(1, validate(routes, mappings));
        assertReports(expected + ": $.unit: expected \"PC\" but was \"EA\" (example of erp/v2/ProductionOrder.in.jsonata)");
    }

    @Test
    void anExampleWhoseInputTheMappingRejectsIsNamed() throws IOException {
        Path input = mappings.resolve("erp/v1/examples/ProductionOrder.in/basic.input.json");
        Files.writeString(input, Files.readString(input).replace("\"PC\"", "\"XX\""));

        assertEquals(1, validate(routes, mappings));
        assertReports(input + ": mapping erp/v1/ProductionOrder.in.jsonata failed at line 11");
        assertReports("(input $.GMEIN): unknown code 'XX' in lookup table 'units'");
    }

    @Test
    void aRouterBranchToADestinationWithoutAnOutboundRouteIsNamed() throws IOException {
        Path hub = routes.resolve("hub.camel.yaml");
        String broken = Files.readString(hub).replace("constant: mes,wms", "constant: mes,mes2,wms");
        Files.writeString(hub, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(hub + ":" + lineOf(broken, "mes,mes2,wms") + ":" + (columnOf(broken, "mes,mes2,wms") + 4)
                + ": the router sends to 'mes2', which has no outbound route: add a route from direct:mes2-out");
        assertEquals(1, problems(), out);
    }

    @Test
    void anOutboundRouteThatDoesNotDeclareItselfIsNoDestination() throws IOException {
        Path mes = routes.resolve("systems/mes.camel.yaml");
        String broken = Files.readString(mes).replace("    group: destination\n", "");
        Files.writeString(mes, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(mes + ":" + (lineOf(broken, "id: mes-out") - 1) + ": route mes-out is named like an outbound "
                + "route but does not declare it: add 'group: destination'");
        // The router's branches to the MES now name an undeclared destination.
        assertReports("the router sends to 'mes', which has no outbound route");
    }

    @Test
    void aMisspelledBeanMethodIsNamed() throws IOException {
        Path supplier = routes.resolve("systems/supplier.camel.yaml");
        String broken = Files.readString(supplier).replace("method=jsonToXml(", "method=jsonToXm(");
        Files.writeString(supplier, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(supplier + ":" + lineOf(broken, "jsonToXm(") + ":" + columnOf(broken, "jsonToXm(")
                + ": bean formats has no method jsonToXm with 2 parameters; its methods: ");
        assertReports("jsonToXml/2");
        assertEquals(1, problems(), out);
    }

    @Test
    void aMappingNameWithoutItsSuffixIsNamed() throws IOException {
        Path crm = routes.resolve("systems/crm.camel.yaml");
        String broken = Files.readString(crm).replace("'crm/SalesOrder.in.jsonata'", "'crm/SalesOrder.in'");
        Files.writeString(crm, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(crm + ":" + lineOf(broken, "crm/SalesOrder.in'") + ":" + columnOf(broken, "crm/SalesOrder.in'")
                + ": mapping name 'crm/SalesOrder.in' must name the file with its .jsonata suffix");
        assertEquals(1, problems(), out);
    }

    @Test
    void anEmptySystemUrlIsNamedWithTheSettingAndTheRouteThatNeedsIt() throws IOException {
        Files.createDirectories(plant.resolve("config"));
        Files.writeString(plant.resolve("config/application.properties"), "weft.systems.mes.url=\n");
        String mes = Files.readString(routes.resolve("systems/mes.camel.yaml"));

        assertEquals(1, validate(routes, mappings));
        assertReports(routes.resolve("systems/mes.camel.yaml") + ":" + lineOf(mes, "{{weft.systems.mes.url}}") + ":"
                + columnOf(mes, "{{weft.systems.mes.url}}") + ": setting weft.systems.mes.url is empty (in "
                + plant.resolve("config/application.properties") + "), and route mes-out needs it");
        assertEquals(1, problems(), out);
    }

    @Test
    void anUnresolvedPlaceholderIsNamed() throws IOException {
        Path erp = routes.resolve("systems/erp.camel.yaml");
        String broken = Files.readString(erp).replace("{{weft.systems.erp.url}}", "{{weft.systems.erp.uri}}");
        Files.writeString(erp, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(erp + ":" + lineOf(broken, "{{weft.systems.erp.uri}}") + ":" + columnOf(broken, "{{weft.systems.erp.uri}}")
                + ": {{weft.systems.erp.uri}} is not set: no setting weft.systems.erp.uri");
        assertEquals(1, problems(), out);
    }

    @Test
    void anUnknownEndpointOptionIsNamedWithASuggestion() throws IOException {
        Path mes = routes.resolve("systems/mes.camel.yaml");
        String broken = Files.readString(mes).replace("uri: direct:mes-out", "uri: direct:mes-out?timout=5000");
        Files.writeString(mes, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(mes + ":" + lineOf(broken, "timout") + ":" + columnOf(broken, "timout")
                + ": endpoint direct: has no option 'timout' (did you mean timeout?)");
        assertEquals(1, problems(), out);
    }

    @Test
    void aKameletUseWithoutARequiredParameterIsNamed() throws IOException {
        Path erp = routes.resolve("systems/erp.camel.yaml");
        String broken = Files.readString(erp).replace("kamelet:weft-rest-sink?destination=erp&url=RAW({{weft.systems.erp.url}})",
                "kamelet:weft-rest-sink?destination=erp&contentType=application/json");
        Files.writeString(erp, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(erp + ":" + lineOf(broken, "kamelet:weft-rest-sink") + ":" + columnOf(broken, "kamelet:weft-rest-sink")
                + ": Kamelet weft-rest-sink needs parameter 'url' (required, no default)");
        assertEquals(1, problems(), out);
    }

    @Test
    void aHeaderReadButNeverSetIsNamed() throws IOException {
        Path wms = routes.resolve("systems/wms.camel.yaml");
        String broken = Files.readString(wms).replace("simple: \"${header.WeftRowsRejected} > 0\"",
                "simple: \"${header.WeftRowsRejectd} > 0\"");
        Files.writeString(wms, broken);

        assertEquals(1, validate(routes, mappings));
        assertReports(wms + ":" + lineOf(broken, "WeftRowsRejectd") + ":" + columnOf(broken, "WeftRowsRejectd")
                + ": route wms-in-goods-receipts reads header 'WeftRowsRejectd', which no route step and nothing in Weft sets");
        assertEquals(1, problems(), out);
    }

    @Test
    void theShippedPlantIsCheckedInAFewSeconds() {
        long start = System.nanoTime();
        assertEquals(0, validate(Path.of("routes"), Path.of("mappings")), out + err);
        // Generous: the machine is shared; alone it takes about a second.
        assertTrue((System.nanoTime() - start) / 1_000_000_000 < 30, "took too long");
    }

    private long problems() {
        return out.lines().filter(l -> !l.startsWith("validate:")).count();
    }

    @Test
    void aPlaceholderIsResolvedForTheChosenProfile() throws IOException {
        Files.createDirectories(plant.resolve("config"));
        Files.writeString(plant.resolve("config/application.properties"), "%night.weft.systems.erp.url=\n");
        String erp = Files.readString(routes.resolve("systems/erp.camel.yaml"));

        assertEquals(0, validate(routes, mappings), out);
        assertEquals(1, validate(new Validate.Options(routes, mappings, "night")), out);
        assertReports(routes.resolve("systems/erp.camel.yaml") + ":" + lineOf(erp, "{{weft.systems.erp.url}}") + ":"
                + columnOf(erp, "{{weft.systems.erp.url}}") + ": setting weft.systems.erp.url is empty");
        assertEquals(1, problems(), out);
    }

    @Test
    void aMissingFolderIsAUsageError() {
        assertEquals(2, validate(plant.resolve("nothing-here"), mappings));
        assertTrue(err.contains("is not a folder"), err);
    }

    private int validate(Path routesDir, Path mappingsDir) {
        return validate(new Validate.Options(routesDir, mappingsDir, null));
    }

    private int validate(Validate.Options options) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Validate.run(options, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        out = stdout.toString(StandardCharsets.UTF_8);
        err = stderr.toString(StandardCharsets.UTF_8);
        return code;
    }

    private void assertReports(String expectedStart) {
        List<String> lines = out.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(expectedStart) || (!expectedStart.startsWith(plant.toString())
                && l.contains(expectedStart))), "expected a line starting with\n  " + expectedStart + "\ngot:\n" + out);
    }

    private static int lineOf(String text, String needle) {
        int at = text.indexOf(needle);
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private static int columnOf(String text, String needle) {
        int at = text.indexOf(needle);
        return at - text.lastIndexOf('\n', at - 1);
    }
}
