package io.weft.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetHeaderDefinition;
import org.apache.camel.model.language.ConstantExpression;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which canonical types each system may publish: {@code weft.systems.<system>.publishes} (comma-separated)
 * where it is set, else the types the system's own routes (ids {@code <system>-...}) set as their constant
 * {@code WeftType}. The hub refuses any other type from that system (a route file changed to publish a type
 * the system was not granted, or a route that sets the type from the input), and {@code validate} reports a
 * route file that would.
 */
@ApplicationScoped
public class PublishRights {
    public static final String TYPE_HEADER = "WeftType";

    @Inject
    CamelContext camel;

    private final Map<String, Set<String>> granted = new ConcurrentHashMap<>();

    /** A system published a type it is not granted. */
    public static final class NotGranted extends RuntimeException {
        public NotGranted(String system, String type, Set<String> granted) {
            super(system + " may not publish " + type + "; it is granted " + granted + " (weft.systems." + system
                    + ".publishes)");
        }
    }

    public void require(String system, String type) {
        Set<String> types = granted(system);
        if (!types.contains(type)) {
            throw new NotGranted(system, type, types);
        }
    }

    public Set<String> granted(String system) {
        return granted.computeIfAbsent(system, s -> configured(s).orElseGet(() -> publishedBy(
                camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions(), s)));
    }

    private static java.util.Optional<Set<String>> configured(String system) {
        return ConfigProvider.getConfig().getOptionalValues("weft.systems." + system + ".publishes", String.class)
                .map(list -> new TreeSet<>(list.stream().map(String::trim).filter(t -> !t.isEmpty()).toList()));
    }

    /** The constant types the routes of {@code system} set (outbound route {@code <system>-out} excluded). */
    public static Set<String> publishedBy(Collection<RouteDefinition> routes, String system) {
        Set<String> types = new TreeSet<>();
        for (RouteDefinition route : routes) {
            String id = route.getRouteId();
            if (id != null && id.startsWith(system + "-") && !id.equals(system + "-out")) {
                collect(route.getOutputs(), types);
            }
        }
        return types;
    }

    private static void collect(List<ProcessorDefinition<?>> steps, Set<String> types) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof SetHeaderDefinition header && TYPE_HEADER.equals(header.getName())
                    && header.getExpression() instanceof ConstantExpression constant) {
                types.add(constant.getExpression().trim());
            }
            if (step instanceof ChoiceDefinition choice) {
                choice.getWhenClauses().forEach(when -> collect(when.getOutputs(), types));
                if (choice.getOtherwise() != null) {
                    collect(choice.getOtherwise().getOutputs(), types);
                }
            }
            collect(step.getOutputs(), types);
        }
    }
}
