package io.weft.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.beanio.BeanIOException;
import org.beanio.BeanReader;
import org.beanio.BeanWriter;
import org.beanio.StreamFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts the formats legacy systems speak to JSON and back, so that every translation is a JSONata
 * mapping over JSON: XML through StAX, CSV through Jackson's data format, fixed-width records through BeanIO with a
 * layout file beside the mapping ({@code mappings/<system>/<Name>.layout.xml}). Routes call it as
 * {@code bean:formats?method=xmlToJson(${body})}, then {@code bean:mapper?method=map(...)}.
 *
 * <p>XML to JSON and back: see {@link XmlTrees} for the convention (namespaces included). CSV to JSON: a header line, then one
 * object per row, every value a string. Fixed width to JSON: one object per record, values as the layout's
 * field types give them (strings, trimmed of their padding, unless the layout says otherwise).
 */
@ApplicationScoped
@Named("formats")
public class Formats {
    /** The JSON field holding an element's text when the element also has attributes. */
    public static final String XML_TEXT = "_text";

    private final ObjectMapper json;
    private final Path mappingsDir;
    private final Map<String, StreamFactory> layouts = new ConcurrentHashMap<>();

    @Inject
    public Formats(ObjectMapper json, @ConfigProperty(name = "weft.mappings-dir") String mappingsDir) {
        this(json, Path.of(mappingsDir));
    }

    public Formats(ObjectMapper json, Path mappingsDir) {
        this.json = json;
        this.mappingsDir = mappingsDir;
    }

    // --- XML ------------------------------------------------------------------------------------------

    /**
     * XML text to JSON text: the root element's content, with {@code _root} naming the root element and
     * {@code _ns} / {@code _xmlns} namespaces and declarations (the convention: {@link XmlTrees}).
     */
    public String xmlToJson(String xml) {
        return json(XmlTrees.readChecked(text(xml), null, null));
    }

    /**
     * As {@link #xmlToJson(String)}, for a document that must have the root element {@code rootElement} in the
     * namespace {@code namespace} ("" for none): another root or namespace is a mapping error naming both.
     */
    public String xmlToJson(String xml, String rootElement, String namespace) {
        return json(XmlTrees.readChecked(text(xml), rootElement, namespace == null ? "" : namespace));
    }

    /** JSON text (or tree) to XML text under the element {@code rootElement}, with an XML declaration. */
    public String jsonToXml(Object jsonInput, String rootElement) {
        try {
            return XmlTrees.write(tree(jsonInput), rootElement);
        } catch (javax.xml.stream.XMLStreamException e) {
            throw new MappingException("(xml output)", null, "cannot write XML: " + e.getMessage(), e);
        }
    }

    /** JSON text (or tree) to XML text under the element its {@code _root} field names. */
    public String jsonToXml(Object jsonInput) {
        return jsonToXml(jsonInput, null);
    }

    private String json(JsonNode tree) {
        try {
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new MappingException("(xml input)", null, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    // --- CSV ------------------------------------------------------------------------------------------

    /** CSV text with a header line to a JSON array of objects (values are strings). */
    public String csvToJson(String csv) {
        return csvToJson(csv, ",");
    }

    public String csvToJson(String csv, String separator) {
        return CsvTables.read(json, text(csv), separator);
    }

    /** A JSON array of flat objects (or one object) to CSV text with a header line naming every field. */
    public String jsonToCsv(Object jsonInput) {
        return jsonToCsv(jsonInput, ",");
    }

    public String jsonToCsv(Object jsonInput, String separator) {
        return CsvTables.write(records(tree(jsonInput), "(csv output)"), separator);
    }

    // --- Fixed width ----------------------------------------------------------------------------------

    /**
     * Fixed-width records to a JSON array, one object per record, as the BeanIO layout {@code layoutFile}
     * (relative to the mappings folder) describes them. Its stream is named after the file:
     * {@code erp/Confirmation.layout.xml} holds {@code <stream name="Confirmation" format="fixedlength">}.
     */
    public String fixedToJson(String text, String layoutFile) {
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        BeanReader reader = layout(layoutFile).createReader(streamName(layoutFile), new StringReader(text(text)));
        try {
            for (Object record = reader.read(); record != null; record = reader.read()) {
                records.add(json.valueToTree(record));
            }
            return json.writeValueAsString(records);
        } catch (BeanIOException e) {
            throw new MappingException(layoutFile, null, List.of("line " + reader.getLineNumber()),
                    "input does not fit the layout: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new MappingException(layoutFile, null, e.getOriginalMessage(), e);
        } finally {
            reader.close();
        }
    }

    /** A JSON array of objects (or one object) to fixed-width records as the layout describes them. */
    public String jsonToFixed(Object jsonInput, String layoutFile) {
        List<Map<String, Object>> rows = records(tree(jsonInput), layoutFile);
        StringWriter out = new StringWriter();
        BeanWriter writer = layout(layoutFile).createWriter(streamName(layoutFile), out);
        try {
            for (Map<String, Object> row : rows) {
                Map<String, Object> values = new LinkedHashMap<>();
                // JSON numbers are written through their text: the layout pads and aligns them.
                row.forEach((k, v) -> values.put(k, v == null ? null : v instanceof Number n ? plain(n) : v.toString()));
                writer.write(values);
            }
            writer.flush();
        } catch (BeanIOException e) {
            throw new MappingException(layoutFile, null, "cannot write the records: " + e.getMessage(), e);
        } finally {
            writer.close();
        }
        return out.toString();
    }

    /** Loads a layout; a broken layout is a {@link MappingException} naming the file. */
    public void checkLayout(String layoutFile) {
        StreamFactory factory = layout(layoutFile);
        if (!factory.isMapped(streamName(layoutFile))) {
            throw new MappingException(layoutFile, null, "the layout has no <stream name=\"" + streamName(layoutFile)
                    + "\"> (the stream is named after the file)", null);
        }
    }

    private StreamFactory layout(String layoutFile) {
        return layouts.computeIfAbsent(layoutFile, file -> {
            Path path = mappingsDir.resolve(file).normalize();
            if (!path.startsWith(mappingsDir.normalize())) {
                throw new MappingException(file, null, "layout path leaves the mappings folder", null);
            }
            StreamFactory factory = StreamFactory.newInstance();
            try (InputStream in = Files.newInputStream(path)) {
                factory.load(in);
            } catch (IOException | BeanIOException e) {
                throw new MappingException(file, null, "cannot load the layout: " + e.getMessage(), e);
            }
            return factory;
        });
    }

    private static String streamName(String layoutFile) {
        String name = Path.of(layoutFile).getFileName().toString();
        return name.endsWith(".layout.xml") ? name.substring(0, name.length() - ".layout.xml".length()) : name;
    }

    // --- helpers --------------------------------------------------------------------------------------

    private JsonNode tree(Object input) {
        try {
            if (input instanceof JsonNode node) {
                return node;
            }
            if (input instanceof String || input instanceof byte[]) {
                return json.readTree(text(input));
            }
            return json.valueToTree(input);
        } catch (JsonProcessingException e) {
            throw new MappingException("(json input)", null, "input is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> records(JsonNode node, String file) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : node.isArray() ? node : JsonNodeFactory.instance.arrayNode().add(node)) {
            if (!row.isObject()) {
                throw new MappingException(file, null, "records must be JSON objects; got " + row.getNodeType(), null);
            }
            rows.add(json.convertValue((ObjectNode) row, Map.class));
        }
        return rows;
    }

    private static String plain(Number n) {
        return n.doubleValue() == Math.rint(n.doubleValue()) && !(n instanceof java.math.BigDecimal b && b.scale() > 0)
                ? String.valueOf(n.longValue()) : new java.math.BigDecimal(n.toString()).toPlainString();
    }

    private static String text(Object input) {
        if (input == null) {
            return "";
        }
        return input instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : input.toString();
    }
}
