package io.weft.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.weft.testing.Management;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document on the management port tells the truth: the inbound POST answers 202, every /api path is
 * there with its real status codes and described parameters; Swagger UI is on the management port and not on the
 * business one.
 */
@QuarkusTest
@TestProfile(ConsoleProfiles.H2.class)
class OpenApiDocumentTest {
    static final List<String> API_PATHS = List.of("/api/messages", "/api/messages/{id}", "/api/messages/{id}/replay",
            "/api/deliveries", "/api/systems", "/api/systems/{name}", "/api/systems/{name}/files/{file}",
            "/api/rejections", "/api/audit", "/api/destinations", "/api/destinations/{name}/pause",
            "/api/destinations/{name}/resume", "/api/failures", "/api/replays/preview", "/api/replays/{previewId}",
            "/api/landscape", "/api/flows", "/api/flows.csv");

    @Test
    void theDocumentDeclaresTheRealStatusCodesOfEveryOperation() {
        JsonPath doc = Management.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> inbound = doc.getMap("paths.'/inbound/{system}/{resource}'.post");
        assertNotNull(inbound, "the inbound POST is documented");
        Map<String, Object> responses = doc.getMap("paths.'/inbound/{system}/{resource}'.post.responses");
        assertTrue(responses.containsKey("202"), "inbound answers 202: " + responses.keySet());
        assertFalse(responses.containsKey("200"), "inbound never answers 200: " + responses.keySet());
        assertTrue(responses.keySet().containsAll(List.of("400", "401", "403", "429")), responses.keySet().toString());
        for (String path : API_PATHS) {
            Map<String, Object> operations = doc.getMap("paths.'" + path + "'");
            assertNotNull(operations, path + " is documented; paths: " + doc.getMap("paths").keySet());
            for (String method : operations.keySet()) {
                Map<String, Object> op = doc.getMap("paths.'" + path + "'." + method);
                assertNotNull(op.get("summary"), method + " " + path + " has a summary");
                Map<String, Object> codes = doc.getMap("paths.'" + path + "'." + method + ".responses");
                assertFalse(codes.isEmpty(), method + " " + path + " declares its answers");
                List<Map<String, Object>> parameters = doc.getList("paths.'" + path + "'." + method + ".parameters");
                for (Map<String, Object> parameter : parameters == null ? List.<Map<String, Object>>of() : parameters) {
                    assertNotNull(parameter.get("description"), method + " " + path + " parameter " + parameter.get("name"));
                    assertNotNull(parameter.get("schema"), method + " " + path + " parameter " + parameter.get("name") + " type");
                }
            }
        }
        assertTrue(doc.getMap("paths.'/api/messages/{id}/replay'.post.responses").containsKey("202"));
        assertTrue(doc.getMap("paths.'/api/replays/{previewId}'.post.responses").containsKey("410"));
        assertEquals(List.of("hour", "day", "week"), doc.getList("paths.'/api/flows'.get.parameters.find { it.name == 'window' }.schema.enum"));
    }

    @Test
    void swaggerUiIsServedOnTheManagementPortOnly() {
        Management.given().redirects().follow(true).get("/q/swagger-ui/").then().statusCode(200)
                .body(containsString("swagger-ui"));
        int business = given().redirects().follow(false).header("Authorization", "none").get("/q/swagger-ui/")
                .then().extract().statusCode();
        assertTrue(business == 404 || business == 401, "the business port answers " + business + " for Swagger UI");
        int openapi = given().redirects().follow(false).header("Authorization", "none").get("/q/openapi")
                .then().extract().statusCode();
        assertTrue(openapi == 404 || openapi == 401, "the business port answers " + openapi + " for /q/openapi");
    }
}
