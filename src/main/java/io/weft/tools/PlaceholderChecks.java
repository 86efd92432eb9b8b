package io.weft.tools;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code {{key}}} a route uses must resolve, against the plant's settings for the chosen profile, to a
 * value that is not blank; {@code {{?key}}} (optional) and {@code {{key:default}}} always resolve.
 */
final class PlaceholderChecks implements RouteCheck {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\?)?([^{}:]+)(:[^{}]*)?}}");

    private final Findings findings;
    private final PlantSettings settings;

    PlaceholderChecks(Findings findings, PlantSettings settings) {
        this.findings = findings;
        this.settings = settings;
    }

    @Override
    public void check(List<RouteStep> steps) {
        for (RouteStep step : steps) {
            if (step.text() == null) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(step.text());
            while (m.find()) {
                if (m.group(1) != null || m.group(3) != null) {
                    continue;
                }
                String key = m.group(2).strip();
                Optional<PlantSettings.Value> value = settings.get(key);
                String fix = "set it in config/application.properties or as " + PlantSettings.envName(key)
                        + " (or write {{?" + key + "}} if it may be absent)";
                if (value.isEmpty()) {
                    findings.near(step.file(), step.line(), "{{" + key, "{{" + key + "}} is not set: no setting "
                            + key + " in application.properties or config/application.properties; " + fix);
                } else if (value.get().value().isBlank()) {
                    findings.near(step.file(), step.line(), "{{" + key, "setting " + key + " is empty (in "
                            + value.get().origin() + "), and route " + step.routeId() + " needs it; " + fix);
                }
            }
        }
    }
}
