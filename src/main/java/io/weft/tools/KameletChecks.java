package io.weft.tools;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.weft.tools.YamlNodes.child;
import static io.weft.tools.YamlNodes.line;
import static io.weft.tools.YamlNodes.scalar;

/**
 * The Kamelets of {@code routes/kamelets/}: the style rules of apache/camel-kamelets (which Camel's loader does
 * not enforce: kind, name = file name with a -source/-sink/-action suffix, title, description and type per
 * property, no undeclared placeholder in the template), then Camel loads each. Returns what each declares, so
 * that the routes' uses of a Kamelet can be checked against it.
 */
final class KameletChecks {
    /** A Kamelet's parameters: all declared ones, and the required ones that have no default. */
    record Spec(String name, Path file, Set<String> parameters, Set<String> requiredWithoutDefault) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([A-Za-z0-9_.-]+)(?::[^}]*)?}}");

    private final Findings findings;

    KameletChecks(Findings findings) {
        this.findings = findings;
    }

    Map<String, Spec> check(Path kameletsDir) {
        Map<String, Spec> specs = new LinkedHashMap<>();
        for (Path file : Findings.files(kameletsDir, ".kamelet.yaml")) {
            findings.checked(1);
            String text = findings.text(file);
            if (text == null) {
                continue;
            }
            Node root;
            try {
                Optional<Node> composed = new Compose(LoadSettings.builder().setLabel(file.toString()).build())
                        .composeString(text);
                if (composed.isEmpty()) {
                    findings.add(file, 1, 0, "empty Kamelet file");
                    continue;
                }
                root = composed.get();
            } catch (MarkedYamlEngineException e) {
                findings.add(YamlNodes.marked(file, e));
                continue;
            }
            Spec spec = checkKamelet(file, text, root);
            specs.put(spec.name(), spec);
            if (!findings.anyIn(file)) {
                RouteFiles.load(RouteFiles.camel(), file, findings);
            }
        }
        return specs;
    }

    private Spec checkKamelet(Path file, String text, Node root) {
        String name = file.getFileName().toString().replace(".kamelet.yaml", "");
        if (!"Kamelet".equals(scalar(root, "kind"))) {
            findings.add(file, line(root, "kind"), 0, "kind must be Kamelet");
        }
        if (!"camel.apache.org/v1".equals(scalar(root, "apiVersion"))) {
            findings.add(file, line(root, "apiVersion"), 0, "apiVersion must be camel.apache.org/v1");
        }
        Node metadata = child(root, "metadata");
        String declared = scalar(metadata, "name");
        if (!name.equals(declared)) {
            findings.add(file, metadata == null ? 1 : line(metadata, "name"), 0, "metadata.name '" + declared
                    + "' must equal the file name '" + name + "'");
        }
        if (!name.matches(".*-(source|sink|action)")) {
            findings.add(file, metadata == null ? 1 : line(metadata, "name"), 0,
                    "a Kamelet's name ends in -source, -sink or -action, saying what kind it is");
        }
        Node spec = child(root, "spec");
        Node definition = child(spec, "definition");
        Set<String> parameters = new LinkedHashSet<>();
        Set<String> withDefault = new LinkedHashSet<>();
        if (child(definition, "properties") instanceof MappingNode props) {
            for (NodeTuple tuple : props.getValue()) {
                String property = ((ScalarNode) tuple.getKeyNode()).getValue();
                parameters.add(property);
                if (child(tuple.getValueNode(), "default") != null) {
                    withDefault.add(property);
                }
                for (String required : List.of("title", "description", "type")) {
                    if (scalar(tuple.getValueNode(), required) == null) {
                        findings.add(file, line(tuple.getKeyNode()), 0, "property '" + property + "' has no " + required);
                    }
                }
            }
        }
        Set<String> required = new LinkedHashSet<>();
        if (child(definition, "required") instanceof SequenceNode list) {
            for (Node r : list.getValue()) {
                String property = ((ScalarNode) r).getValue();
                if (!parameters.contains(property)) {
                    findings.add(file, line(r), 0, "required property '" + property
                            + "' is not declared under spec.definition.properties");
                }
                if (!withDefault.contains(property)) {
                    required.add(property);
                }
            }
        }
        Node template = child(spec, "template");
        if (template == null) {
            findings.add(file, spec == null ? 1 : line(root, "spec"), 0, "spec.template is missing");
        } else {
            int templateStart = template.getStartMark().map(Mark::getIndex).orElse(0);
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                if (m.start() >= templateStart && !parameters.contains(m.group(1))) {
                    findings.at(file, m.start(), "{{" + m.group(1) + "}} is not a declared property of this Kamelet; "
                            + "declare it under spec.definition.properties; declared: " + parameters);
                }
            }
        }
        return new Spec(name, file, parameters, required);
    }
}
