package io.weft.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Gives every REST Assured request of a {@code @QuarkusTest} the credentials it needs, so tests written before
 * authentication existed keep passing with it on: {@code /inbound/<system>/...} gets {@code <system>}'s test
 * key (a system without one: the ERP's), {@code /api/...} the test admin's login. A request that already
 * carries {@code X-Api-Key} or {@code Authorization} is left as it is, so a test can send other credentials
 * (or {@code Authorization: none} for none: the header is then removed). Registered as a Quarkus test
 * callback (META-INF/services), so it runs in the class loader the test's REST Assured lives in.
 */
public class TestCredentials implements QuarkusTestBeforeEachCallback, Filter {
    private static final TestCredentials FILTER = new TestCredentials();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof TestCredentials)) {
            RestAssured.filters(FILTER);
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext context) {
        String auth = request.getHeaders().getValue("Authorization");
        if ("none".equals(auth)) {
            request.removeHeader("Authorization");
        } else if (auth == null && !request.getHeaders().hasHeaderWithName(Auth.API_KEY_HEADER)) {
            String path = java.net.URI.create(request.getURI()).getPath();
            if (path.startsWith("/inbound/")) {
                String[] parts = path.split("/");
                String system = parts.length > 2 && Auth.SYSTEMS.contains(parts[2]) ? parts[2] : "erp";
                request.header(Auth.API_KEY_HEADER, Auth.key(system));
            } else if (path.startsWith("/api/")) {
                request.header("Authorization", Auth.basic("admin", Auth.password("admin")));
            }
        }
        return context.next(request, response);
    }
}
