package io.weft.tools;

import io.weft.security.PublishRights;
import org.apache.camel.model.RouteDefinition;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * validate's check of publish rights: a route of a system (id {@code <system>-...}) that publishes a
 * canonical type the system is not granted in {@code weft.systems.<system>.publishes}, read from the plant's
 * application.properties beside the routes folder and its config/application.properties (which overrides it).
 * The hub would refuse every such message; validate says so before the deploy.
 */
final class PublishRightsCheck {
    private static final Pattern KEY = Pattern.compile("weft\\.systems\\.([a-z0-9][a-z0-9-]*)\\.publishes");

    private PublishRightsCheck() {
    }

    static List<Validate.Finding> check(Collection<RouteDefinition> routes, Map<String, Path> routeFiles, Path routesDir) {
        Map<String, Set<String>> granted = granted(routesDir.toAbsolutePath().getParent());
        List<Validate.Finding> findings = new ArrayList<>();
        for (RouteDefinition route : routes) {
            String id = route.getRouteId();
            if (id == null) {
                continue;
            }
            for (var grant : granted.entrySet()) {
                String system = grant.getKey();
                if (!id.startsWith(system + "-") || id.equals(system + "-out")) {
                    continue;
                }
                for (String type : PublishRights.publishedBy(List.of(route), system)) {
                    if (!grant.getValue().contains(type)) {
                        findings.add(new Validate.Finding(routeFiles.getOrDefault(id, routesDir),
                                Math.max(0, route.getLineNumber()), 0, "route " + id + " publishes " + type
                                + ", which " + system + " is not granted (weft.systems." + system + ".publishes="
                                + String.join(",", grant.getValue()) + "); the hub would refuse it"));
                    }
                }
            }
        }
        return findings;
    }

    private static Map<String, Set<String>> granted(Path plant) {
        Properties settings = new Properties();
        for (Path file : List.of(plant.resolve("application.properties"), plant.resolve("config/application.properties"))) {
            if (Files.isRegularFile(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    settings.load(in);
                } catch (IOException e) {
                    // an unreadable settings file grants nothing more; the start would report it
                }
            }
        }
        Map<String, Set<String>> granted = new TreeMap<>();
        for (String key : settings.stringPropertyNames()) {
            Matcher m = KEY.matcher(key);
            if (m.matches()) {
                granted.put(m.group(1), new TreeSet<>(Arrays.stream(settings.getProperty(key).split(","))
                        .map(String::trim).filter(t -> !t.isEmpty()).toList()));
            }
        }
        return granted;
    }
}
