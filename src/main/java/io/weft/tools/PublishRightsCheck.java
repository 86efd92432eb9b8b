package io.weft.tools;

import io.weft.envelope.WeftHeaders;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * validate's check of publish rights: a route of a system (id {@code <system>-...}, not its outbound route) that
 * sets {@code WeftType} to a canonical type the system is not granted in {@code weft.systems.<system>.publishes}
 * (read as Weft would: packaged defaults, the plant's file, config/application.properties, the environment, for the
 * chosen profile). The hub would refuse every such message; validate says so before the deploy. A system without
 * the setting may publish what its own routes publish, so there is nothing to check for it.
 */
final class PublishRightsCheck implements RouteCheck {
    private final Findings findings;
    private final PlantSettings settings;

    PublishRightsCheck(Findings findings, PlantSettings settings) {
        this.findings = findings;
        this.settings = settings;
    }

    @Override
    public void check(List<RouteStep> steps) {
        for (RouteStep step : steps) {
            if (step.kind() != RouteStep.Kind.SET_HEADER || !WeftHeaders.TYPE.equals(step.name())
                    || !"constant".equals(step.language()) || step.routeId() == null || step.text() == null) {
                continue;
            }
            int dash = step.routeId().indexOf('-');
            if (dash <= 0 || step.routeId().endsWith("-out")) {
                continue;
            }
            String system = step.routeId().substring(0, dash);
            String type = step.text().trim();
            granted(system).filter(types -> !types.contains(type)).ifPresent(types -> findings.add(step.file(),
                    step.line(), 0, "route " + step.routeId() + " publishes " + type + ", which " + system
                    + " is not granted (weft.systems." + system + ".publishes=" + String.join(",", types)
                    + "): grant it there or change the route; the hub would refuse every such message"));
        }
    }

    private Optional<Set<String>> granted(String system) {
        return settings.get("weft.systems." + system + ".publishes").map(v -> new TreeSet<>(Arrays
                .stream(v.value().split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList()));
    }
}
