package io.weft.systems;

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
 * The connected systems as the route files declare them. A destination is declared: its outbound route carries
 * {@code group: destination} (and, by the naming rule, the id {@code <system>-out}); a route that merely ends in
 * {@code -out} is no destination. Sources are the systems with an inbound route {@code <system>-in-<resource>}.
 */
@ApplicationScoped
public class KnownSystems {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** The route group that declares a route as a destination's outbound route. */
    public static final String DESTINATION_GROUP = "destination";
    public static final String OUT_SUFFIX = "-out";

    @Inject
    CamelContext camel;

    /** The systems that can receive: each has a declared outbound route ({@link #isDestination}). */
    public Set<String> destinations() {
        Set<String> names = new TreeSet<>();
        for (Route route : camel.getRoutes()) {
            if (isDestination(route)) {
                String id = route.getRouteId();
                names.add(id.substring(0, id.length() - OUT_SUFFIX.length()));
            }
        }
        return names;
    }

    /** A route is a destination's when it declares {@code group: destination} and is named {@code <system>-out}. */
    public static boolean isDestination(Route route) {
        return route != null && DESTINATION_GROUP.equals(route.getGroup()) && route.getRouteId().endsWith(OUT_SUFFIX);
    }

    private Route outboundRoute(String system) {
        Route route = camel.getRoute(system + OUT_SUFFIX);
        return isDestination(route) ? route : null;
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
        Route route = outboundRoute(system);
        if (route == null) {
            throw new RoutingException("no outbound route " + system + OUT_SUFFIX
                    + " declared with group: " + DESTINATION_GROUP, null);
        }
        return route.getEndpoint().getEndpointUri();
    }

    /** The router may only name systems that have an outbound route; anything else is a routing bug. */
    public void requireDestinations(List<String> destinations) {
        for (String destination : destinations) {
            // One route lookup per destination; the full list of known systems only for the error message.
            if (outboundRoute(destination) == null) {
                throw new RoutingException("the router names destination '" + destination
                        + "', which has no outbound route " + destination + OUT_SUFFIX + " declared with group: "
                        + DESTINATION_GROUP + "; known: " + destinations(), null);
            }
        }
    }
}
