package io.weft.tools;

import io.weft.mapping.Mappings;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every bean a route calls ({@code bean:formats?method=jsonToXml(${body}, 'PurchaseOrder')} or a
 * {@code bean:} step) exists, has the method, and a method given with arguments has an overload with that many
 * parameters; the mapping and layout files named as arguments of the mapper and the formats beans exist.
 */
final class BeanChecks implements RouteCheck {
    /** Methods whose second argument names a mapping file, and those whose second names a layout. */
    private static final Set<String> MAPPING_METHODS = Set.of("map", "mapVersioned", "mapToTree");
    private static final Set<String> LAYOUT_METHODS = Set.of("fixedToJson", "jsonToFixed");

    private final Findings findings;
    private final Map<String, Class<?>> beans;
    private final Path mappingsDir;
    private final Mappings mapper;

    BeanChecks(Findings findings, Map<String, Class<?>> beans, Path mappingsDir, Mappings mapper) {
        this.findings = findings;
        this.beans = beans;
        this.mappingsDir = mappingsDir;
        this.mapper = mapper;
    }

    @Override
    public void check(List<RouteStep> steps) {
        for (RouteStep step : steps) {
            if (step.kind() == RouteStep.Kind.BEAN && step.name() != null) {
                checkCall(step, step.name(), step.text());
            } else if ("bean".equals(step.scheme())) {
                String uri = step.text();
                int query = uri.indexOf('?');
                String name = uri.substring("bean:".length(), query < 0 ? uri.length() : query);
                int method = uri.indexOf("method=", Math.max(query, 0));
                checkCall(step, name, query < 0 || method < 0 ? null : uri.substring(method + "method=".length()));
            }
        }
    }

    private void checkCall(RouteStep step, String bean, String call) {
        Class<?> type = beans.get(bean);
        if (type == null) {
            findings.near(step.file(), step.line(), bean, "no bean '" + bean + "' (a class annotated @Named(\"" + bean
                    + "\")); beans: " + beans.keySet());
            return;
        }
        if (call == null || call.isBlank()) {
            return;
        }
        int open = call.indexOf('(');
        String method = (open < 0 ? call : call.substring(0, open)).strip();
        List<String> args = open < 0 ? null : arguments(call.substring(open + 1, call.lastIndexOf(')') < open
                ? call.length() : call.lastIndexOf(')')));
        List<Method> named = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(method) && !Modifier.isStatic(m.getModifiers())).toList();
        if (named.isEmpty() || (args != null && named.stream().noneMatch(m -> m.getParameterCount() == args.size()))) {
            findings.near(step.file(), step.line(), method, "bean " + bean + " has no method " + method
                    + (args == null ? "" : " with " + args.size() + " parameter" + (args.size() == 1 ? "" : "s"))
                    + "; its methods: " + methods(type));
            return;
        }
        if (args != null && args.size() >= 2 && MAPPING_METHODS.contains(method) && "mapper".equals(bean)) {
            checkMapping(step, unquote(args.get(1)), method.equals("mapVersioned"));
        }
        if (args != null && args.size() >= 2 && LAYOUT_METHODS.contains(method) && "formats".equals(bean)) {
            String layout = unquote(args.get(1));
            if (layout != null && !Files.isRegularFile(mappingsDir.resolve(layout))) {
                findings.near(step.file(), step.line(), layout, "no layout " + mappingsDir.resolve(layout));
            }
        }
    }

    private void checkMapping(RouteStep step, String mapping, boolean versioned) {
        if (mapping == null) {
            return;
        }
        if (!mapping.endsWith(".jsonata")) {
            findings.near(step.file(), step.line(), mapping, "mapping name '" + mapping + "' must name the file with "
                    + "its .jsonata suffix, e.g. '" + mapping + ".jsonata'");
        } else if (versioned) {
            if (mapper.versionsOf(mapping).isEmpty() && !Files.isRegularFile(mappingsDir.resolve(mapping))) {
                findings.near(step.file(), step.line(), mapping, "no mapping " + mapping + " in any API version (looked for "
                        + mappingsDir.resolve(mapping.replaceFirst("/", "/v<N>/")) + ")");
            }
        } else if (!Files.isRegularFile(mappingsDir.resolve(mapping))) {
            findings.near(step.file(), step.line(), mapping, "no mapping " + mappingsDir.resolve(mapping));
        }
    }

    private static Set<String> methods(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
                names.add(m.getName() + "/" + m.getParameterCount());
            }
        }
        return names;
    }

    /** A quoted literal's text, or null when the argument is an expression. */
    private static String unquote(String arg) {
        String a = arg.strip();
        return a.length() >= 2 && (a.startsWith("'") && a.endsWith("'") || a.startsWith("\"") && a.endsWith("\""))
                ? a.substring(1, a.length() - 1) : null;
    }

    /** Splits a parameter list at the commas outside quotes, parentheses and ${...}. */
    static List<String> arguments(String list) {
        List<String> args = new ArrayList<>();
        if (list.isBlank()) {
            return args;
        }
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '{') {
                depth++;
            } else if (c == ')' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(list.substring(start, i));
                start = i + 1;
            }
        }
        args.add(list.substring(start));
        return args;
    }
}
