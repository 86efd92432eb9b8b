package io.weft.testing;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import static io.restassured.RestAssured.given;

/**
 * The management interface of the Weft under test ({@code /q/health}, {@code /q/metrics}, {@code /q/openapi}),
 * which is not on the business port: {@code Management.given().get("/q/metrics")}.
 */
public final class Management {
    private Management() {
    }

    /** The port the management interface listens on in this test (a random one: quarkus.management.test-port=0). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    public static RequestSpecification given() {
        return io.restassured.RestAssured.given().port(port());
    }
}
