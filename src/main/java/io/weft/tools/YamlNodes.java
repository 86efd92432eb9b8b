package io.weft.tools;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.nio.file.Path;
import java.util.Optional;

/** Reading a composed YAML node tree (which keeps line numbers) by key. */
final class YamlNodes {
    private YamlNodes() {
    }

    static Node child(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return tuple.getValueNode();
                }
            }
        }
        return null;
    }

    static String scalar(Node node, String key) {
        return child(node, key) instanceof ScalarNode s ? s.getValue() : null;
    }

    /** The 1-based line of {@code key} in {@code node}, or of the node itself when it has no such key. */
    static int line(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return line(k);
                }
            }
        }
        return node == null ? 1 : line(node);
    }

    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    static Finding marked(Path file, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
        String problem = (e.getContext() == null ? "" : e.getContext() + ": ") + (e.getProblem() == null ? e.getMessage() : e.getProblem());
        return new Finding(file, mark.map(m -> m.getLine() + 1).orElse(0), mark.map(m -> m.getColumn() + 1).orElse(0),
                problem.lines().findFirst().orElse(problem).strip());
    }
}
