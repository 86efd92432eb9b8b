package io.weft.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The connected systems as the route files declare them, by the route id convention:
 * {@code <system>-in-<resource>} receives from a system, {@code <system>-out} delivers to it.
 */
@ApplicationScoped
public class KnownSystems {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    @Inject
    CamelContext camel;

    /** The systems that can receive: each has an outbound route {@code <system>-out}. */
    public Set<String> destinations() {
        Set<String> names = new TreeSet<>();
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            if (id.endsWith("-out")) {
                names.add(id.substring(0, id.length() - "-out".length()));
            }
        }
        return names;
    }

    /** The systems that send to Weft: each has at least one inbound route {@code <system>-in-...}. */
    public Set<String> sources() {
        Set<String> names = new TreeSet<>();
        for (Route route : camel.getRoutes()) {
            int in = route.getRouteId().indexOf("-in-");
            if (in > 0) {
                names.add(route.getRouteId().substring(0, in));
            }
        }
        return names;
    }

    public Optional<Route> inboundRoute(String system, String resource) {
        return Optional.ofNullable(camel.getRoute(system + "-in-" + resource));
    }

    public String outboundEndpoint(String system) {
        Route route = camel.getRoute(system + "-out");
        if (route == null) {
            throw new HubRouter.RoutingException("no outbound route " + system + "-out", null);
        }
        return route.getEndpoint().getEndpointUri();
    }

    /** The router may only name systems that have an outbound route; anything else is a routing bug. */
    public void requireDestinations(List<String> destinations) {
        for (String destination : destinations) {
            // One route lookup per destination; the full list of known systems only for the error message.
            if (camel.getRoute(destination + "-out") == null) {
                throw new HubRouter.RoutingException("the router names destination '" + destination
                        + "', which has no outbound route " + destination + "-out; known: " + destinations(), null);
            }
        }
    }
}
