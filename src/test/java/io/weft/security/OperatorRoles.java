package io.weft.security;

import io.restassured.response.ValidatableResponse;
import io.weft.security.operators.Roles;
import io.weft.testing.Auth;
import io.weft.testing.Orders;
import io.weft.testing.TestIdentityProvider;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import io.weft.testing.Destinations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operators and their roles on the operations API (function-level authorization, OWASP API5), with the
 * %test profile's accounts (viewer, operator, admin, auditor = admin without payload) and tokens from the test
 * identity provider; every action and refusal in the audit trail with the real actor.
 */
abstract class OperatorRoles {

    @BeforeEach
    void theMesAcceptsWorkOrders() {
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(201)));
    }

    static ValidatableResponse as(String operator, String method, String path) {
        var request = given().header("Authorization", Auth.basic(operator, Auth.password(operator)));
        return (method.equals("POST") ? request.post(path) : request.get(path)).then();
    }

    /** An order delivered to the MES (the test's WireMock accepts it), ready to be re-sent. */
    static String deliveredOrder() {
        String id = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'mes' }.status", equalTo("DELIVERED")));
        return id;
    }

    @Test
    void withoutALoginEveryEndpointIs401WithAChallenge() {
        for (String path : List.of("/api/messages", "/api/deliveries", "/api/systems", "/api/rejections", "/api/audit")) {
            given().header("Authorization", "none").get(path).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", containsString("Basic"))
                    .body("status", equalTo(401));
        }
    }

    @Test
    void aWrongPasswordIs401AndAudited() {
        given().header("Authorization", Auth.basic("viewer", "not-the-password")).get("/api/messages").then()
                .statusCode(401).contentType("application/problem+json");
        String audit = given().queryParam("action", "api-unauthenticated").get("/api/audit").then().statusCode(200)
                .body("[0].actor", equalTo("viewer")).body("[0].outcome", equalTo("refused"))
                .body("[0].endpoint", equalTo("GET /api/messages")).extract().asString();
        assertTrue(!audit.contains("not-the-password"), "the audit trail holds a presented password");
    }

    @Test
    void aViewerReadsButCannotReplay() {
        String id = deliveredOrder();
        as("viewer", "GET", "/api/messages/" + id).statusCode(200);
        as("viewer", "GET", "/api/deliveries").statusCode(200);
        as("viewer", "GET", "/api/systems").statusCode(200);
        as("viewer", "POST", "/api/messages/" + id + "/replay?destination=mes").statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("viewer"));
        given().queryParam("action", "api-forbidden").get("/api/audit").then().statusCode(200)
                .body("[0].actor", equalTo("viewer")).body("[0].endpoint", startsWith("POST /api/messages/" + id));
    }

    @Test
    void anOperatorReplaysAndTheAuditNamesThem() {
        String id = deliveredOrder();
        as("operator", "POST", "/api/messages/" + id + "/replay?destination=mes").statusCode(202)
                .body("requeued", equalTo(List.of("mes")));
        given().queryParam("action", "replay").queryParam("actor", "operator").get("/api/audit").then().statusCode(200)
                .body("target", hasItem("message " + id));
    }

    @Test
    void anOperatorFromTheIdentityProviderReplaysUnderTheirName() {
        String id = deliveredOrder();
        String token = TestIdentityProvider.operatorToken("maria.k", List.of("operator"));
        given().header("Authorization", "Bearer " + token).queryParam("destination", "mes")
                .post("/api/messages/" + id + "/replay").then().statusCode(202);
        given().queryParam("action", "replay").queryParam("actor", "maria.k").get("/api/audit").then().statusCode(200)
                .body("target", hasItem("message " + id));
        String viewerToken = TestIdentityProvider.operatorToken("sam.v", List.of("viewer"));
        given().header("Authorization", "Bearer " + viewerToken).queryParam("destination", "mes")
                .post("/api/messages/" + id + "/replay").then().statusCode(403);
    }

    @Test
    void payloadsOnlyWithThePayloadPermission() {
        String id = deliveredOrder();
        as("viewer", "GET", "/api/messages/" + id).statusCode(200).body("envelope.data", nullValue())
                .body("envelope.dataHidden", notNullValue()).body("envelope.type", equalTo("ProductionOrder"));
        as("admin", "GET", "/api/messages/" + id).statusCode(200).body("envelope.data.plant", equalTo("P1"));
    }

    @Test
    void onlyAdminsReadTheAudit() {
        as("viewer", "GET", "/api/audit").statusCode(403).contentType("application/problem+json");
        as("operator", "GET", "/api/audit").statusCode(403);
        as("auditor", "GET", "/api/audit").statusCode(200);
        as("admin", "GET", "/api/audit?actor=nobody-" + System.nanoTime()).statusCode(200).body("size()", equalTo(0));
        as("admin", "GET", "/api/audit?since=yesterday").statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theConfigurationLoadedAtStartIsAudited() {
        List<Map<String, Object>> loaded = given().queryParam("action", "config-loaded").queryParam("limit", "1000")
                .get("/api/audit").then().statusCode(200).extract().jsonPath().getList("");
        assertTrue(loaded.stream().anyMatch(e -> String.valueOf(e.get("target")).endsWith("systems/erp.camel.yaml")
                && String.valueOf(e.get("detail")).matches("sha256:[0-9a-f]{64}")), loaded.toString());
        assertTrue(loaded.stream().anyMatch(e -> String.valueOf(e.get("target")).endsWith("ProductionOrder.out.jsonata")));
    }

    @Test
    void healthMetricsAndOpenApiAnswerOnTheManagementPortOnly() {
        io.weft.testing.Management.given().get("/q/health/ready").then().statusCode(200);
        io.weft.testing.Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("weft_"));
        io.weft.testing.Management.given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/messages"));
        for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            given().header("Authorization", "none").get(path).then().statusCode(404);
            as("admin", "GET", path).statusCode(404);
        }
        assertTrue(io.weft.testing.Management.port() != io.restassured.RestAssured.port);
    }

    /** Every JAX-RS resource Weft serves under /api, found in the compiled classes (so a new one is checked too). */
    private static List<Class<?>> operationsResources() throws Exception {
        java.nio.file.Path classes = io.weft.testing.WeftProcess.projectDir().resolve("target/classes");
        List<Class<?>> found = new ArrayList<>();
        try (var files = java.nio.file.Files.walk(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OperatorRoles.class.getClassLoader());
                Path path = type.getAnnotation(Path.class);
                if (path != null && path.value().startsWith("/api")) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    /** Function-level authorization is declared, not hoped for: every operations endpoint names its role. */
    @Test
    void everyOperationsEndpointRequiresARole() throws Exception {
        List<String> unguarded = new ArrayList<>();
        int endpoints = 0;
        for (Class<?> resource : operationsResources()) {
            for (Method method : resource.getDeclaredMethods()) {
                if (method.isAnnotationPresent(GET.class) || method.isAnnotationPresent(POST.class)) {
                    endpoints++;
                    RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
                    if (roles == null || roles.value().length == 0) {
                        unguarded.add(resource.getSimpleName() + "." + method.getName());
                    } else if (method.isAnnotationPresent(POST.class)) {
                        assertTrue(List.of(Roles.OPERATOR, Roles.ADMIN).contains(roles.value()[0]),
                                method + " changes state: operator at least");
                    }
                }
            }
        }
        assertTrue(endpoints >= 6, "found only " + endpoints + " endpoints");
        assertTrue(operationsResources().contains(io.weft.ops.AuditResource.class));
        assertEquals(List.of(), unguarded);
    }
}
