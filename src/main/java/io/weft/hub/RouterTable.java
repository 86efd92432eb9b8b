package io.weft.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetPropertyDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ConstantExpression;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which destinations the router ({@code routes/hub.camel.yaml}, route {@code hub-router}) can choose for a
 * canonical type from a source, read from the route's definition: each {@code when} whose condition names the
 * type ({@code ${header.type} == 'X'} or {@code in 'X,Y'}) or no type, and no other source
 * ({@code ${header.source} == 'y'}), contributes its constant {@code destinations}. Conditions on the payload
 * (a plant, say) cannot be decided without a message, so such a branch counts as possible: the answer is every
 * destination the type can reach, which is what a map of the flows shows.
 */
@ApplicationScoped
public class RouterTable {
    private static final Pattern TYPE_IS = Pattern.compile("\\$\\{header\\.type}\\s*==\\s*'([^']*)'");
    private static final Pattern TYPE_IN = Pattern.compile("\\$\\{header\\.type}\\s+in\\s+'([^']*)'");
    private static final Pattern SOURCE_IS = Pattern.compile("\\$\\{header\\.source}\\s*==\\s*'([^']*)'");

    @Inject
    CamelContext camel;

    public Set<String> destinations(String source, String type) {
        RouteDefinition router = camel.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition("hub-router");
        Set<String> destinations = new TreeSet<>();
        if (router != null) {
            collect(router.getOutputs(), source, type, destinations);
        }
        return destinations;
    }

    private static void collect(List<ProcessorDefinition<?>> steps, String source, String type, Set<String> into) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof SetPropertyDefinition set && HubRouter.DESTINATIONS.equals(set.getName())
                    && set.getExpression() instanceof ConstantExpression constant) {
                for (String name : constant.getExpression().split(",")) {
                    if (!name.isBlank()) {
                        into.add(name.trim());
                    }
                }
            }
            if (step instanceof ChoiceDefinition choice) {
                for (WhenDefinition when : choice.getWhenClauses()) {
                    if (applies(when.getExpression().getExpression(), source, type)) {
                        collect(when.getOutputs(), source, type, into);
                    }
                }
                if (choice.getOtherwise() != null) {
                    collect(choice.getOtherwise().getOutputs(), source, type, into);
                }
            } else { // a choice's outputs are its branches, each taken above only where it applies
                collect(step.getOutputs(), source, type, into);
            }
        }
    }

    static boolean applies(String condition, String source, String type) {
        if (condition == null) {
            return true;
        }
        Set<String> types = new LinkedHashSet<>();
        Matcher is = TYPE_IS.matcher(condition);
        while (is.find()) {
            types.add(is.group(1));
        }
        Matcher in = TYPE_IN.matcher(condition);
        while (in.find()) {
            for (String t : in.group(1).split(",")) {
                types.add(t.trim());
            }
        }
        if (!types.isEmpty() && !types.contains(type)) {
            return false;
        }
        List<String> sources = new ArrayList<>();
        Matcher src = SOURCE_IS.matcher(condition);
        while (src.find()) {
            sources.add(src.group(1));
        }
        return sources.isEmpty() || sources.contains(source);
    }
}
