package io.weft.tools;

import com.dashjoin.jsonata.JException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.mapping.CanonicalSchemas;
import io.weft.mapping.Formats;
import io.weft.mapping.Lookups;
import io.weft.mapping.MappingException;
import io.weft.mapping.MappingExamples;
import io.weft.mapping.Mappings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./validate.sh [routes-dir] [mappings-dir]}: checks a plant's integration files before a deploy,
 * without starting the hub or touching its database. Loads every route file and Kamelet with Camel's YAML
 * DSL loader, compiles every JSONata mapping and BeanIO layout, checks every canonical schema against JSON
 * Schema 2020-12, every lookup table, every file a route or mapping names, and runs every mapping example.
 * Prints one line per problem, {@code <file>:<line>[:<column>]: <problem>} (or {@code <file>: <path>: ...}
 * where a file has no lines to point at), and exits 1 if there is any, 0 if there is none, 2 on bad usage.
 */
public final class Validate {

    /** One problem, at a file and, where known, a line and column (1-based; 0 when unknown). */
    public record Finding(Path file, int line, int column, String problem) {
        @Override
        public String toString() {
            return file.toString().replace('\\', '/') + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "")
                    + ": " + problem;
        }
    }

    private static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern MAPPING_REF = Pattern.compile("'([^'\\s]+\\.jsonata)'(\\s*,\\s*\\$\\{header\\.[A-Za-z]+})?");
    private static final Pattern LAYOUT_REF = Pattern.compile("'([^'\\s]+\\.layout\\.xml)'");
    private static final Pattern LOOKUP_CALL = Pattern.compile(
            "\\$weftLookup(Key)?\\(\\s*['\"]([^'\"]+)['\"](?:\\s*,\\s*[^,()]+(?:\\([^()]*\\))?\\s*,\\s*['\"]([^'\"]+)['\"])?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)(?::[^}]*)?}}");

    private final Path routesDir;
    private final Path mappingsDir;
    private final List<Finding> findings = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private int checked;

    private Validate(Path routesDir, Path mappingsDir) {
        this.routesDir = routesDir;
        this.mappingsDir = mappingsDir;
    }

    public static void main(String[] args) {
        if (args.length > 2 || (args.length > 0 && args[0].startsWith("-"))) {
            System.err.println("usage: validate [routes-dir] [mappings-dir]   (defaults: routes mappings)");
            System.exit(2);
        }
        Path routes = Path.of(args.length > 0 ? args[0] : "routes");
        Path mappings = Path.of(args.length > 1 ? args[1] : "mappings");
        System.exit(run(routes, mappings, System.out, System.err));
    }

    /** Runs every check and prints the findings; returns the exit code. */
    public static int run(Path routesDir, Path mappingsDir, PrintStream out, PrintStream err) {
        for (Path dir : List.of(routesDir, mappingsDir)) {
            if (!Files.isDirectory(dir)) {
                err.println("validate: " + dir + " is not a folder");
                return 2;
            }
        }
        long start = System.nanoTime();
        Validate validate = new Validate(routesDir, mappingsDir);
        List<Finding> findings = validate.check();
        findings.forEach(out::println);
        long millis = (System.nanoTime() - start) / 1_000_000;
        String summary = "validate: " + validate.checked + " files checked in " + millis + " ms, "
                + (findings.isEmpty() ? "no problems" : findings.size() + " problem" + (findings.size() == 1 ? "" : "s"));
        (findings.isEmpty() ? out : err).println(summary);
        return findings.isEmpty() ? 0 : 1;
    }

    /** Every problem in the two folders. */
    public static List<Finding> check(Path routesDir, Path mappingsDir) {
        return new Validate(routesDir, mappingsDir).check();
    }

    private List<Finding> check() {
        Mappings mapper = Mappings.standalone(mappingsDir);
        checkRoutes();
        checkKamelets();
        checkLookups(mapper.lookups());
        checkSchemas();
        checkMappings(mapper);
        checkExamples();
        return findings;
    }

    // --- route files ----------------------------------------------------------------------------------

    private void checkRoutes() {
        List<Path> files = files(routesDir, ".camel.yaml").stream()
                .filter(f -> !f.startsWith(routesDir.resolve("kamelets"))).toList();
        CamelContext camel = camel();
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, Path> routeFiles = new HashMap<>();
        Map<String, Finding> routeIds = new HashMap<>();
        Set<String> configurations = new LinkedHashSet<>();
        List<Runnable> afterAll = new ArrayList<>();
        for (Path file : files) {
            checked++;
            Set<String> before = new LinkedHashSet<>();
            model.getRouteDefinitions().forEach(r -> before.add(identity(r)));
            if (!load(camel, file)) {
                continue;
            }
            for (RouteConfigurationDefinition c : model.getRouteConfigurationDefinitions()) {
                configurations.add(c.getId());
            }
            for (RouteDefinition route : model.getRouteDefinitions()) {
                if (before.contains(identity(route))) {
                    continue;
                }
                int line = route.getLineNumber() > 0 ? route.getLineNumber() : 0;
                String id = route.getRouteId();
                if (id == null || !route.hasCustomIdAssigned()) {
                    findings.add(new Finding(file, line, 0, "route has no id (every route needs a stable id: "
                            + "<system>-in-<what> or <system>-out)"));
                    continue;
                }
                if (!ROUTE_ID.matcher(id).matches()) {
                    findings.add(new Finding(file, line, 0, "route id '" + id + "' must be lower-case words joined by '-'"));
                }
                Finding first = routeIds.putIfAbsent(id, new Finding(file, line, 0, id));
                if (first != null) {
                    findings.add(new Finding(file, line, 0, "route id '" + id + "' is already used at " + first.file()
                            + ":" + first.line()));
                }
                routeFiles.put(id, file);
                String configuration = route.getRouteConfigurationId();
                if (configuration != null) {
                    afterAll.add(() -> {
                        for (String ref : configuration.split(",")) {
                            if (!configurations.contains(ref.strip())) {
                                findings.add(new Finding(file, line, 0, "route " + id + " uses routeConfigurationId '"
                                        + ref.strip() + "', which no route file defines; defined: " + configurations));
                            }
                        }
                    });
                }
            }
            checkReferences(file);
        }
        afterAll.forEach(Runnable::run);
        findings.addAll(PublishRightsCheck.check(model.getRouteDefinitions(), routeFiles, routesDir));
    }

    private static String identity(RouteDefinition route) {
        return System.identityHashCode(route) + "";
    }

    /** Mapping and layout files a route names must exist (for mapVersioned: in at least one version). */
    private void checkReferences(Path file) {
        String text = read(file);
        if (text == null) {
            return;
        }
        Matcher m = MAPPING_REF.matcher(text);
        while (m.find()) {
            String mapping = m.group(1);
            boolean versioned = text.lastIndexOf("mapVersioned(", m.start()) > text.lastIndexOf('\n', m.start());
            if (versioned) {
                List<String> versions = Mappings.standalone(mappingsDir).versionsOf(mapping);
                if (versions.isEmpty() && !Files.isRegularFile(mappingsDir.resolve(mapping))) {
                    at(file, text, m.start(1), "no mapping " + mapping + " in any API version (looked for "
                            + mappingsDir.resolve(mapping.replaceFirst("/", "/v<N>/")) + ")");
                }
            } else if (!Files.isRegularFile(mappingsDir.resolve(mapping))) {
                at(file, text, m.start(1), "no mapping " + mappingsDir.resolve(mapping));
            }
        }
        Matcher l = LAYOUT_REF.matcher(text);
        while (l.find()) {
            if (!Files.isRegularFile(mappingsDir.resolve(l.group(1)))) {
                at(file, text, l.start(1), "no layout " + mappingsDir.resolve(l.group(1)));
            }
        }
    }

    // --- Kamelets -------------------------------------------------------------------------------------

    private void checkKamelets() {
        List<Path> files = files(routesDir.resolve("kamelets"), ".kamelet.yaml");
        for (Path file : files) {
            checked++;
            String text = read(file);
            if (text == null) {
                continue;
            }
            Node root;
            try {
                Optional<Node> composed = new Compose(LoadSettings.builder().setLabel(file.toString()).build())
                        .composeString(text);
                if (composed.isEmpty()) {
                    findings.add(new Finding(file, 1, 0, "empty Kamelet file"));
                    continue;
                }
                root = composed.get();
            } catch (MarkedYamlEngineException e) {
                findings.add(marked(file, e));
                continue;
            }
            checkKamelet(file, text, root);
            if (findings.stream().noneMatch(f -> f.file().equals(file))) {
                load(camel(), file);
            }
        }
    }

    private void checkKamelet(Path file, String text, Node root) {
        String name = file.getFileName().toString().replace(".kamelet.yaml", "");
        if (!"Kamelet".equals(scalar(root, "kind"))) {
            findings.add(new Finding(file, line(root, "kind"), 0, "kind must be Kamelet"));
        }
        if (!"camel.apache.org/v1".equals(scalar(root, "apiVersion"))) {
            findings.add(new Finding(file, line(root, "apiVersion"), 0, "apiVersion must be camel.apache.org/v1"));
        }
        Node metadata = child(root, "metadata");
        String declared = scalar(metadata, "name");
        if (!name.equals(declared)) {
            findings.add(new Finding(file, metadata == null ? 1 : line(metadata, "name"), 0, "metadata.name '" + declared
                    + "' must equal the file name '" + name + "'"));
        }
        if (!name.matches(".*-(source|sink|action)")) {
            findings.add(new Finding(file, metadata == null ? 1 : line(metadata, "name"), 0,
                    "a Kamelet's name ends in -source, -sink or -action, saying what kind it is"));
        }
        Node spec = child(root, "spec");
        Node definition = child(spec, "definition");
        Node properties = child(definition, "properties");
        Set<String> declaredProperties = new LinkedHashSet<>();
        if (properties instanceof MappingNode props) {
            for (NodeTuple tuple : props.getValue()) {
                String property = ((ScalarNode) tuple.getKeyNode()).getValue();
                declaredProperties.add(property);
                for (String required : List.of("title", "description", "type")) {
                    if (scalar(tuple.getValueNode(), required) == null) {
                        findings.add(new Finding(file, tuple.getKeyNode().getStartMark().map(mk -> mk.getLine() + 1).orElse(0),
                                0, "property '" + property + "' has no " + required));
                    }
                }
            }
        }
        if (child(definition, "required") instanceof SequenceNode required) {
            for (Node r : required.getValue()) {
                String property = ((ScalarNode) r).getValue();
                if (!declaredProperties.contains(property)) {
                    findings.add(new Finding(file, r.getStartMark().map(mk -> mk.getLine() + 1).orElse(0), 0,
                            "required property '" + property + "' is not declared under spec.definition.properties"));
                }
            }
        }
        Node template = child(spec, "template");
        if (template == null) {
            findings.add(new Finding(file, spec == null ? 1 : line(root, "spec"), 0, "spec.template is missing"));
            return;
        }
        int templateStart = template.getStartMark().map(Mark::getIndex).orElse(0);
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (m.start() >= templateStart && !declaredProperties.contains(m.group(1))) {
                at(file, text, m.start(), "{{" + m.group(1) + "}} is not a declared property of this Kamelet; declared: "
                        + declaredProperties);
            }
        }
    }

    // --- lookups, schemas, mappings, examples -----------------------------------------------------------

    private void checkLookups(Lookups lookups) {
        checked += files(mappingsDir.resolve("lookups"), ".csv").size();
        lookups.problems().forEach(p -> findings.add(new Finding(p.file(), p.line(), 0, p.message())));
    }

    private void checkSchemas() {
        Path dir = mappingsDir.resolve("schemas");
        for (Path file : files(dir, ".schema.json")) {
            checked++;
            try {
                JsonNode schema = json.readTree(file.toFile());
                for (String problem : CanonicalSchemas.problemsOf(schema)) {
                    findings.add(new Finding(file, 0, 0, problem));
                }
            } catch (JsonProcessingException e) {
                findings.add(new Finding(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                        e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "not JSON: " + e.getOriginalMessage()));
            } catch (IOException e) {
                findings.add(new Finding(file, 0, 0, "cannot read: " + e.getMessage()));
            }
        }
    }

    private void checkMappings(Mappings mapper) {
        Formats formats = new Formats(json, mappingsDir);
        for (Path file : files(mappingsDir, ".jsonata")) {
            checked++;
            String name = relative(file);
            try {
                mapper.compile(name);
            } catch (MappingException e) {
                int offset = e.getCause() instanceof JException j ? j.getLocation() : -1;
                Mappings.Position at = mapper.position(name, offset);
                findings.add(new Finding(file, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                        "does not compile: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())));
                continue;
            }
            String text = read(file);
            Matcher m = LOOKUP_CALL.matcher(text);
            while (m.find()) {
                String table = m.group(2);
                Optional<List<String>> columns = mapper.lookups().columns(table);
                if (columns.isEmpty()) {
                    at(file, text, m.start(2), "no lookup table '" + table + "' (" + mappingsDir.resolve("lookups/" + table + ".csv") + ")");
                } else if (m.group(3) != null && !columns.get().contains(m.group(3))) {
                    at(file, text, m.start(3), "lookup table '" + table + "' has no column '" + m.group(3)
                            + "'; columns: " + columns.get());
                }
            }
        }
        for (Path file : files(mappingsDir, ".layout.xml")) {
            checked++;
            try {
                formats.checkLayout(relative(file));
            } catch (MappingException e) {
                findings.add(new Finding(file, 0, 0, e.getMessage().replaceFirst("^mapping \\S+ failed: ", "")));
            }
        }
    }

    private void checkExamples() {
        MappingExamples examples;
        try {
            examples = MappingExamples.of(mappingsDir);
        } catch (RuntimeException e) {
            findings.add(new Finding(mappingsDir, 0, 0, "cannot run the examples: " + e.getMessage()));
            return;
        }
        for (MappingExamples.Example example : examples.discover()) {
            checked++;
            MappingExamples.Outcome outcome = examples.run(example);
            if (outcome.passed()) {
                continue;
            }
            // A difference belongs to the expected file; anything else (a failing mapping) to the input.
            Path file = outcome.problems().get(0).startsWith("the output differs") ? example.expected() : example.input();
            List<String> lines = outcome.problems();
            int stop = lines.indexOf("the whole output was:");
            for (String line : stop < 0 ? lines : lines.subList(0, stop)) {
                if (!line.startsWith("the output differs")) {
                    findings.add(new Finding(file, 0, 0, line.strip() + " (example of " + example.mappingFile() + ")"));
                }
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static CamelContext camel() {
        DefaultCamelContext camel = new DefaultCamelContext(false);
        camel.build();
        return camel;
    }

    /** Loads a route or Kamelet file with Camel's YAML DSL loader; a failure becomes a finding. */
    private boolean load(CamelContext camel, Path file) {
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel,
                    "file:" + file.toAbsolutePath()));
            return true;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof MarkedYamlEngineException marked) {
                    findings.add(marked(file, marked));
                    return false;
                }
            }
            String message = e.getMessage();
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                message = t.getMessage();
            }
            findings.add(new Finding(file, 0, 0, "Camel cannot load it: " + message));
            return false;
        }
    }

    private static Finding marked(Path file, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
        String problem = (e.getContext() == null ? "" : e.getContext() + ": ") + (e.getProblem() == null ? e.getMessage() : e.getProblem());
        return new Finding(file, mark.map(m -> m.getLine() + 1).orElse(0), mark.map(m -> m.getColumn() + 1).orElse(0),
                problem.lines().findFirst().orElse(problem).strip());
    }

    private void at(Path file, String text, int offset, String problem) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        findings.add(new Finding(file, line, offset - lineStart + 1, problem));
    }

    private static Node child(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return tuple.getValueNode();
                }
            }
        }
        return null;
    }

    private static String scalar(Node node, String key) {
        return child(node, key) instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int line(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return k.getStartMark().map(m -> m.getLine() + 1).orElse(0);
                }
            }
        }
        return node == null ? 1 : node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            findings.add(new Finding(file, 0, 0, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f)
                    && !f.toString().replace('\\', '/').contains("/examples/")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String relative(Path file) {
        return mappingsDir.relativize(file).toString().replace('\\', '/');
    }
}
