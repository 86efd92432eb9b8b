package io.weft.tools;

import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.LogDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.SetHeaderDefinition;
import org.apache.camel.model.SetPropertyDefinition;
import org.apache.camel.model.ThrowExceptionDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;

import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static io.weft.tools.RouteStep.Kind;

/** Walks a route model (as Camel's YAML DSL loader built it) into the flat list of steps the checks read. */
final class RouteSteps {
    private final Path file;
    private final String routeId;
    private final List<RouteStep> into;
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private RouteSteps(Path file, String routeId, List<RouteStep> into) {
        this.file = file;
        this.routeId = routeId;
        this.into = into;
    }

    static void collect(Path file, RouteDefinition route, List<RouteStep> into) {
        RouteSteps steps = new RouteSteps(file, route.getRouteId(), into);
        into.add(new RouteStep(file, route.getInput().getLineNumber(), route.getRouteId(), Kind.FROM, null,
                route.getInput().getEndpointUri(), null));
        steps.walk(route.getOutputs());
    }

    private void walk(List<? extends ProcessorDefinition<?>> outputs) {
        for (ProcessorDefinition<?> step : outputs) {
            if (seen.add(step)) {
                visit(step);
            }
        }
    }

    private void visit(ProcessorDefinition<?> step) {
        int line = step.getLineNumber();
        if (step instanceof SendDefinition<?> send) {
            add(line, Kind.TO, null, send.getEndpointUri(), null);
        } else if (step instanceof ToDynamicDefinition dynamic) {
            add(line, Kind.TO, null, dynamic.getUri(), "simple");
        } else if (step instanceof BeanDefinition bean) {
            add(line, Kind.BEAN, bean.getRef(), bean.getMethod(), null);
        } else if (step instanceof SetHeaderDefinition header) {
            expression(line, Kind.SET_HEADER, header.getName(), header.getExpression());
        } else if (step instanceof SetPropertyDefinition property) {
            expression(line, Kind.SET_PROPERTY, property.getName(), property.getExpression());
        } else if (step instanceof LogDefinition log) {
            add(line, Kind.EXPRESSION, null, log.getMessage(), "simple");
        } else if (step instanceof ThrowExceptionDefinition thrown && thrown.getMessage() != null) {
            add(line, Kind.EXPRESSION, null, thrown.getMessage(), "simple");
        } else if (step instanceof ExpressionNode node) {
            expression(line, Kind.EXPRESSION, null, node.getExpression());
        }
        if (step instanceof ChoiceDefinition choice) {
            for (WhenDefinition when : choice.getWhenClauses()) {
                seen.add(when);
                expression(when.getLineNumber(), Kind.EXPRESSION, null, when.getExpression());
                walk(when.getOutputs());
            }
            if (choice.getOtherwise() != null) {
                walk(choice.getOtherwise().getOutputs());
            }
        }
        if (step instanceof TryDefinition attempt) {
            walk(attempt.getCatchClauses());
            if (attempt.getFinallyClause() != null) {
                walk(List.of(attempt.getFinallyClause()));
            }
        }
        walk(step.getOutputs());
    }

    private void expression(int line, Kind kind, String name, ExpressionDefinition expression) {
        add(line, kind, name, expression == null ? null : expression.getExpression(),
                expression == null ? null : expression.getLanguage());
    }

    private void add(int line, Kind kind, String name, String text, String language) {
        into.add(new RouteStep(file, line, routeId, kind, name, text, language));
    }
}
