package io.weft.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.impl.DefaultRuntimeCamelCatalog;
import org.apache.camel.util.URISupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every endpoint a route names is valid for its component, by Camel's catalog validation (the component JSON
 * descriptors of the components on Weft's class path: unknown component, unknown option, wrong value type);
 * every {@code kamelet:} names a Kamelet of {@code routes/kamelets/}, passes each of its required parameters
 * and no parameter it does not declare.
 */
final class EndpointChecks implements RouteCheck {
    private final Findings findings;
    private final Map<String, KameletChecks.Spec> kamelets;
    private final DefaultRuntimeCamelCatalog catalog = new DefaultRuntimeCamelCatalog();
    private final Set<String> kameletEndpointOptions = new TreeSet<>();

    EndpointChecks(Findings findings, CamelContext camel, Map<String, KameletChecks.Spec> kamelets) {
        this.findings = findings;
        this.kamelets = kamelets;
        catalog.setCamelContext(camel);
        catalog.setCaching(true);
        catalog.setSuggestionStrategy(EndpointChecks::similar);
        try {
            JsonNode kamelet = new ObjectMapper().readTree(catalog.componentJSonSchema("kamelet"));
            kamelet.path("properties").fieldNames().forEachRemaining(kameletEndpointOptions::add);
        } catch (Exception e) {
            // Without the descriptor, only the Kamelets' own parameters are accepted.
        }
    }

    @Override
    public void check(List<RouteStep> steps) {
        for (RouteStep step : steps) {
            if (!step.isEndpoint() || step.text() == null || step.scheme().contains("{{")) {
                continue;
            }
            if ("kamelet".equals(step.scheme())) {
                checkKamelet(step);
            } else {
                checkEndpoint(step);
            }
        }
    }

    private void checkEndpoint(RouteStep step) {
        EndpointValidationResult result = catalog.validateEndpointProperties(step.text(), false,
                step.kind() == RouteStep.Kind.FROM, step.kind() == RouteStep.Kind.TO);
        if (result.isSuccess()) {
            return;
        }
        if (result.getUnknownComponent() != null) {
            findings.near(step.file(), step.line(), step.scheme() + ":", "no Camel component '" + result.getUnknownComponent()
                    + "' on Weft's class path: fix the scheme, or add the component to pom.xml");
            return;
        }
        if (result.getUnknown() != null) {
            for (String option : result.getUnknown()) {
                String[] suggestions = result.getUnknownSuggestions() == null ? null : result.getUnknownSuggestions().get(option);
                findings.near(step.file(), step.line(), option, "endpoint " + step.scheme() + ": has no option '" + option
                        + "'" + (suggestions == null || suggestions.length == 0 ? "" : " (did you mean "
                        + String.join(" or ", suggestions) + "?)") + "; see the component's options in the Camel docs");
            }
        }
        List<String> other = new ArrayList<>();
        String summary = result.summaryErrorMessage(false, false, true);
        if (summary != null) {
            summary.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("Failed validation")
                            && !l.contains("Unknown option") && !l.equals(step.scheme()))
                    .forEach(other::add);
        }
        if (!other.isEmpty() && (result.getUnknown() == null || result.getUnknown().isEmpty())) {
            findings.near(step.file(), step.line(), step.scheme() + ":", "endpoint " + step.scheme() + ": "
                    + String.join("; ", other).replaceAll("\\s+", " "));
        }
    }

    private void checkKamelet(RouteStep step) {
        String uri = step.text();
        int query = uri.indexOf('?');
        String path = uri.substring("kamelet:".length(), query < 0 ? uri.length() : query);
        String name = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (name.equals("source") || name.equals("sink")) {
            return;
        }
        KameletChecks.Spec spec = kamelets.get(name);
        if (spec == null) {
            findings.near(step.file(), step.line(), name, "no Kamelet '" + name + "': add routes/kamelets/" + name
                    + ".kamelet.yaml or fix the name; Kamelets: " + kamelets.keySet());
            return;
        }
        Map<String, Object> parameters;
        try {
            parameters = query < 0 ? Map.of() : URISupport.parseQuery(uri.substring(query + 1), true);
        } catch (Exception e) {
            findings.near(step.file(), step.line(), name, "the parameters of kamelet:" + name + " cannot be read: "
                    + e.getMessage());
            return;
        }
        for (String required : spec.requiredWithoutDefault()) {
            if (!parameters.containsKey(required)) {
                findings.near(step.file(), step.line(), "kamelet:" + name, "Kamelet " + name + " needs parameter '"
                        + required + "' (required, no default): pass it as " + required + "=... or under parameters:");
            }
        }
        for (String given : parameters.keySet()) {
            if (!spec.parameters().contains(given) && !kameletEndpointOptions.contains(given)) {
                findings.near(step.file(), step.line(), given, "Kamelet " + name + " has no parameter '" + given
                        + "'; its parameters: " + spec.parameters());
            }
        }
    }

    /** The options within two edits of a misspelt one (Camel's runtime catalog brings no suggestion strategy). */
    static String[] similar(Set<String> options, String unknown) {
        return options.stream().filter(o -> distance(o.toLowerCase(), unknown.toLowerCase()) <= 2).sorted()
                .toArray(String[]::new);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
