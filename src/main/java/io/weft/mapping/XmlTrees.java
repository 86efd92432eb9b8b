package io.weft.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * XML to a JSON tree and back, namespaces included, by the convention the README's "Formats" section declares:
 * elements are fields named by their local name (repeated elements an array), attributes fields by their name
 * (on the way out, a field {@code "@name"} is written as an attribute), an element with attributes or a
 * namespace of its own keeps its text in {@value Formats#XML_TEXT}; {@value #NS} is an element's namespace URI
 * where it differs from its parent's, {@value #XMLNS} the namespace declarations an element carries (prefix →
 * URI, {@code ""} for the default), {@value #ROOT} (top level) the root element's local name.
 *
 * <p>StAX, not Jackson's XML module: Jackson drops namespaces and cannot write prefixes.
 */
final class XmlTrees {
    static final String ROOT = "_root";
    static final String NS = "_ns";
    static final String XMLNS = "_xmlns";
    static final String ATTRIBUTE = "@";
    private static final String TEXT = Formats.XML_TEXT;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final XMLInputFactory INPUT = XMLInputFactory.newFactory();
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    static {
        // No DTDs, so no entity expansion and no external entities.
        INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        INPUT.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    private XmlTrees() {
    }

    /**
     * {@link #read}, as a mapping error when the text is not well-formed XML or (with {@code rootElement}) when
     * its root element or the root's namespace is not the expected one: the error names both.
     */
    static ObjectNode readChecked(String xml, String rootElement, String namespace) {
        ObjectNode document;
        try {
            document = read(xml);
        } catch (XMLStreamException e) {
            List<String> at = e.getLocation() == null ? List.of()
                    : List.of("line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber());
            String message = String.valueOf(e.getMessage()).replaceFirst("(?s)^ParseError at \\[[^]]*]\\s*Message:\\s*", "");
            throw new MappingException("(xml input)", null, at, "input is not well-formed XML: " + message, e);
        }
        String root = document.path(ROOT).asText();
        String found = document.path(NS).asText("");
        if (rootElement != null && (!root.equals(rootElement) || !found.equals(namespace))) {
            throw new MappingException("(xml input)", null, List.of("/" + root), "expected root element "
                    + qualified(namespace, rootElement) + " but found " + qualified(found, root), null);
        }
        return document;
    }

    private static String qualified(String namespace, String name) {
        return namespace.isEmpty() ? name + " (no namespace)" : "{" + namespace + "}" + name;
    }

    /** The document as a JSON object: the root element's content, plus {@value #ROOT} (and its namespace). */
    static ObjectNode read(String xml) throws XMLStreamException {
        XMLStreamReader reader = INPUT.createXMLStreamReader(new StringReader(xml));
        try {
            while (reader.next() != XMLStreamConstants.START_ELEMENT) {
                // prolog: declaration, comments, processing instructions
            }
            JsonNode root = element(reader, "");
            ObjectNode document = root instanceof ObjectNode o ? o : NODES.objectNode().put(TEXT, root.asText());
            ObjectNode out = NODES.objectNode().put(ROOT, reader.getLocalName());
            out.setAll(document);
            return out;
        } finally {
            reader.close();
        }
    }

    /** One element (the reader at its start tag) as a text or an object; the reader ends at its end tag. */
    private static JsonNode element(XMLStreamReader reader, String parentNamespace) throws XMLStreamException {
        ObjectNode node = NODES.objectNode();
        String namespace = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
        if (!namespace.equals(parentNamespace)) {
            node.put(NS, namespace);
        }
        if (reader.getNamespaceCount() > 0) {
            ObjectNode declarations = node.putObject(XMLNS);
            for (int i = 0; i < reader.getNamespaceCount(); i++) {
                String prefix = reader.getNamespacePrefix(i);
                declarations.put(prefix == null ? "" : prefix, reader.getNamespaceURI(i));
            }
        }
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String prefix = reader.getAttributePrefix(i);
            String name = prefix == null || prefix.isEmpty() ? reader.getAttributeLocalName(i)
                    : prefix + ":" + reader.getAttributeLocalName(i);
            node.put(name, reader.getAttributeValue(i));
        }
        StringBuilder text = new StringBuilder();
        boolean children = false;
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                children = true;
                String name = reader.getLocalName();
                add(node, name, element(reader, namespace));
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                text.append(reader.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                break;
            }
        }
        String content = text.toString().strip();
        if (node.isEmpty() && !children) {
            return NODES.textNode(content);
        }
        if (!content.isEmpty()) {
            node.put(TEXT, content);
        }
        return node;
    }

    private static void add(ObjectNode parent, String name, JsonNode child) {
        JsonNode existing = parent.get(name);
        if (existing == null) {
            parent.set(name, child);
        } else if (existing instanceof ArrayNode array) {
            array.add(child);
        } else {
            parent.putArray(name).add(existing).add(child);
        }
    }

    /** The tree as XML under {@code rootName} (null: the tree's {@value #ROOT}), with an XML declaration. */
    static String write(JsonNode tree, String rootName) throws XMLStreamException {
        String root = rootName != null ? rootName : tree.path(ROOT).asText(null);
        if (root == null || root.isBlank()) {
            throw new XMLStreamException("no root element: give one, or a field " + ROOT + " in the JSON");
        }
        StringWriter out = new StringWriter();
        XMLStreamWriter writer = OUTPUT.createXMLStreamWriter(out);
        writer.writeStartDocument("UTF-8", "1.0");
        element(writer, root, tree, "", new HashMap<>(), new HashMap<>());
        writer.writeEndDocument();
        writer.close();
        return out.toString();
    }

    private static void element(XMLStreamWriter writer, String name, JsonNode node, String parentNamespace,
                                Map<String, String> prefixes, Map<String, String> uris) throws XMLStreamException {
        if (node instanceof ArrayNode array) {
            for (JsonNode item : array) {
                element(writer, name, item, parentNamespace, prefixes, uris);
            }
            return;
        }
        String namespace = node.isObject() && node.has(NS) ? node.get(NS).asText() : parentNamespace;
        Map<String, String> prefixOf = new HashMap<>(prefixes);
        Map<String, String> uriOf = new HashMap<>(uris);
        JsonNode declared = node.path(XMLNS);
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            prefixOf.put(d.getValue().asText(), d.getKey());
            uriOf.put(d.getKey(), d.getValue().asText());
        }
        // An element's namespace with no prefix in scope becomes the default namespace, declared here.
        boolean declareDefault = !namespace.isEmpty() && !prefixOf.containsKey(namespace);
        String prefix = namespace.isEmpty() ? "" : prefixOf.getOrDefault(namespace, "");
        writer.writeStartElement(prefix, name, namespace);
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            if (d.getKey().isEmpty()) {
                writer.writeDefaultNamespace(d.getValue().asText());
            } else {
                writer.writeNamespace(d.getKey(), d.getValue().asText());
            }
        }
        if (declareDefault) {
            writer.writeDefaultNamespace(namespace);
            prefixOf.put(namespace, "");
            uriOf.put("", namespace);
        }
        if (!node.isObject()) {
            writer.writeCharacters(node.isNull() ? "" : node.asText());
            writer.writeEndElement();
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().startsWith(ATTRIBUTE)) {
                attribute(writer, field.getKey().substring(1), field.getValue().asText(), uriOf);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.equals(TEXT)) {
                writer.writeCharacters(field.getValue().asText());
            } else if (!key.startsWith("_") && !key.startsWith(ATTRIBUTE) && !field.getValue().isNull()) {
                element(writer, key, field.getValue(), namespace, prefixOf, uriOf);
            }
        }
        writer.writeEndElement();
    }

    private static void attribute(XMLStreamWriter writer, String name, String value, Map<String, String> uriOf)
            throws XMLStreamException {
        int colon = name.indexOf(':');
        if (colon < 0) {
            writer.writeAttribute(name, value);
            return;
        }
        String prefix = name.substring(0, colon);
        String uri = uriOf.get(prefix);
        if (uri == null) {
            throw new XMLStreamException("attribute " + name + ": prefix '" + prefix + "' is not declared in "
                    + XMLNS + " of this element or an enclosing one");
        }
        writer.writeAttribute(prefix, uri, name.substring(colon + 1), value);
    }
}
