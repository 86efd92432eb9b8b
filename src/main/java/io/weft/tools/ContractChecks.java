package io.weft.tools;

import io.weft.envelope.WeftHeaders;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What routes and Weft's Java share by name: every header or exchange property a route reads is set by some
 * route step, by Camel (headers named {@code Camel...}) or by Weft ({@link WeftHeaders}); every destination the
 * router can set (property {@value WeftHeaders#DESTINATIONS}) is a declared destination (an outbound route with
 * {@code group: destination}, see {@link RouteFiles#destinations()}).
 */
final class ContractChecks implements RouteCheck {
    private static final Pattern HEADER_READ = Pattern.compile("\\$\\{(?:in\\.)?headers?[.:]([A-Za-z0-9_-]+)");
    private static final Pattern PROPERTY_READ = Pattern.compile("\\$\\{exchangeProperty[.:]([A-Za-z0-9_-]+)");

    private final Findings findings;
    private final Set<String> outbound;

    ContractChecks(Findings findings, Set<String> declaredDestinations) {
        this.findings = findings;
        this.outbound = declaredDestinations;
    }

    @Override
    public void check(List<RouteStep> steps) {
        Set<String> headersSet = new HashSet<>(WeftHeaders.HEADERS_SET_BY_WEFT);
        Set<String> propertiesSet = new HashSet<>(WeftHeaders.PROPERTIES_SET_BY_WEFT);
        for (RouteStep step : steps) {
            if (step.kind() == RouteStep.Kind.SET_HEADER) {
                headersSet.add(step.name());
            } else if (step.kind() == RouteStep.Kind.SET_PROPERTY) {
                propertiesSet.add(step.name());
            }
        }
        for (RouteStep step : steps) {
            if (step.text() == null) {
                continue;
            }
            reads(step, HEADER_READ, "header", headersSet, "setHeader");
            reads(step, PROPERTY_READ, "exchange property", propertiesSet, "setProperty");
            if (step.kind() == RouteStep.Kind.SET_PROPERTY && WeftHeaders.DESTINATIONS.equals(step.name())) {
                destinations(step, outbound);
            }
        }
    }

    private void reads(RouteStep step, Pattern pattern, String what, Set<String> set, String setter) {
        Matcher m = pattern.matcher(step.text());
        while (m.find()) {
            String name = m.group(1);
            if (!set.contains(name) && !(what.equals("header") && name.startsWith("Camel"))) {
                findings.near(step.file(), step.line(), name, "route " + step.routeId() + " reads " + what + " '" + name
                        + "', which no route step and nothing in Weft sets: fix the name or add a " + setter
                        + " before it (Weft's own: see the README's table of headers)");
            }
        }
    }

    private void destinations(RouteStep step, Set<String> outbound) {
        if (!"constant".equals(step.language())) {
            return; // computed at run time; the hub refuses an unknown destination then
        }
        for (String destination : step.text().split(",")) {
            String system = destination.strip();
            if (!system.isEmpty() && !outbound.contains(system)) {
                findings.near(step.file(), step.line(), system, "the router sends to '" + system + "', which has no "
                        + "outbound route: add a route from direct:" + system + "-out with id " + system
                        + "-out and group: destination (routes/systems/" + system
                        + ".camel.yaml) or remove it; declared destinations: " + outbound);
            }
        }
    }
}
