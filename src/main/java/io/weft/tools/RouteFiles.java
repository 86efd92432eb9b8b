package io.weft.tools;

import io.weft.systems.KnownSystems;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads the route files as Camel would (its YAML DSL loader, into the route model of a Camel context that is
 * never started), checks each route's id and route configuration, and flattens the routes into steps.
 */
final class RouteFiles {
    private static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final Findings findings;
    private final CamelContext camel = camel();
    private final List<RouteStep> steps = new ArrayList<>();
    private final Set<String> destinations = new java.util.TreeSet<>();

    RouteFiles(Findings findings) {
        this.findings = findings;
    }

    /** The systems whose outbound route is declared ({@code group: destination}, id {@code <system>-out}). */
    Set<String> destinations() {
        return destinations;
    }

    CamelContext camelContext() {
        return camel;
    }

    /** Loads every route file under {@code routesDir} (Kamelets aside); returns all their steps. */
    List<RouteStep> load(Path routesDir) {
        List<Path> files = Findings.files(routesDir, ".camel.yaml").stream()
                .filter(f -> !f.startsWith(routesDir.resolve("kamelets"))).toList();
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, Finding> routeIds = new HashMap<>();
        Set<String> configurations = new LinkedHashSet<>();
        Set<RouteDefinition> known = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Runnable> afterAll = new ArrayList<>();
        for (Path file : files) {
            findings.checked(1);
            if (!load(camel, file, findings)) {
                continue;
            }
            for (RouteConfigurationDefinition c : model.getRouteConfigurationDefinitions()) {
                configurations.add(c.getId());
            }
            for (RouteDefinition route : model.getRouteDefinitions()) {
                if (known.add(route)) {
                    checkRoute(file, route, routeIds, configurations, afterAll);
                }
            }
        }
        afterAll.forEach(Runnable::run);
        return steps;
    }

    private void checkRoute(Path file, RouteDefinition route, Map<String, Finding> routeIds, Set<String> configurations,
                            List<Runnable> afterAll) {
        int line = Math.max(route.getLineNumber(), 0);
        String id = route.getRouteId();
        if (id == null || !route.hasCustomIdAssigned()) {
            findings.add(file, line, 0, "route has no id (every route needs a stable id: <system>-in-<what> or <system>-out)");
            return;
        }
        if (!ROUTE_ID.matcher(id).matches()) {
            findings.add(file, line, 0, "route id '" + id + "' must be lower-case words joined by '-'");
        }
        Finding first = routeIds.putIfAbsent(id, new Finding(file, line, 0, id));
        if (first != null) {
            findings.add(file, line, 0, "route id '" + id + "' is already used at " + first.file() + ":" + first.line());
        }
        declaration(file, line, id, route.getGroup());
        String configuration = route.getRouteConfigurationId();
        if (configuration != null) {
            afterAll.add(() -> {
                for (String ref : configuration.split(",")) {
                    if (!configurations.contains(ref.strip())) {
                        findings.add(file, line, 0, "route " + id + " uses routeConfigurationId '" + ref.strip()
                                + "', which no route file defines; defined: " + configurations);
                    }
                }
            });
        }
        RouteSteps.collect(file, route, steps);
    }

    /** A destination is declared by {@code group: destination}; an id ending in -out alone declares nothing. */
    private void declaration(Path file, int line, String id, String group) {
        boolean declared = KnownSystems.DESTINATION_GROUP.equals(group);
        boolean named = id.endsWith(KnownSystems.OUT_SUFFIX);
        if (declared && named) {
            destinations.add(id.substring(0, id.length() - KnownSystems.OUT_SUFFIX.length()));
        } else if (declared) {
            findings.add(file, line, 0, "route " + id + " declares group: " + KnownSystems.DESTINATION_GROUP
                    + " but is not named <system>" + KnownSystems.OUT_SUFFIX + ": rename it after the system it delivers to");
        } else if (named) {
            findings.add(file, line, 0, "route " + id + " is named like an outbound route but does not declare it: add "
                    + "'group: " + KnownSystems.DESTINATION_GROUP + "' under its id (or rename it)");
        }
    }

    /** A Camel context that only holds a model: built, never started. Keeps each step's line. */
    static CamelContext camel() {
        DefaultCamelContext camel = new DefaultCamelContext(false);
        camel.setSourceLocationEnabled(true);
        camel.build();
        return camel;
    }

    /** Loads a route or Kamelet file with Camel's YAML DSL loader; a failure becomes a finding. */
    static boolean load(CamelContext camel, Path file, Findings findings) {
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel,
                    "file:" + file.toAbsolutePath()));
            return true;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof MarkedYamlEngineException marked) {
                    findings.add(YamlNodes.marked(file, marked));
                    return false;
                }
            }
            String message = e.getMessage();
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                message = t.getMessage();
            }
            findings.add(file, 0, 0, "Camel cannot load it: " + message);
            return false;
        }
    }
}
