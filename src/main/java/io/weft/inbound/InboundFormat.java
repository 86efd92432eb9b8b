package io.weft.inbound;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.Locale;

/**
 * What a system sends to Weft's HTTP edge: {@code weft.systems.<system>.inbound-format} = {@code json} (the
 * default) or {@code xml}. The edge checks the content type (415) and that the body is well formed (400 with
 * line and column) before anything reaches the system's route; the route converts XML to JSON itself
 * ({@code bean:formats?method=xmlToJson(${body})}) and maps it.
 */
public enum InboundFormat {
    JSON("application/json"),
    XML("application/xml");

    private final String mediaType;

    InboundFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public static InboundFormat of(String system) {
        String configured = ConfigProvider.getConfig()
                .getOptionalValue("weft.systems." + system + ".inbound-format", String.class).orElse("json");
        try {
            return valueOf(configured.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("weft.systems." + system + ".inbound-format is '" + configured
                    + "'; it must be json or xml");
        }
    }

    /** JSON: {@code application/json} or {@code application/*+json}; XML: {@code application/xml}, {@code text/xml}, {@code +xml}. */
    public void requireContentType(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        boolean ok = type != null && switch (this) {
            case JSON -> "application".equals(type.getType())
                    && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
            case XML -> ("application".equals(type.getType()) || "text".equals(type.getType()))
                    && ("xml".equals(type.getSubtype()) || type.getSubtype().endsWith("+xml"));
        };
        if (!ok) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported content type",
                    "This resource takes " + mediaType + "; got " + (contentType == null ? "no Content-Type" : contentType)));
        }
    }

    /**
     * Reads every event of the document. A DTD is refused: no system of the plant needs one, and refusing it
     * rules out entity expansion and external entities before the route's XML reader sees the body.
     */
    public static void requireWellFormedXml(byte[] raw) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(raw));
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD) {
                    throw new ProblemException(Problem.of(400, "malformed-xml", "The body is not acceptable XML",
                            "a DOCTYPE declaration is not accepted, at line " + reader.getLocation().getLineNumber()
                                    + ", column " + reader.getLocation().getColumnNumber()));
                }
            }
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
            throw new ProblemException(Problem.of(400, "malformed-xml", "The body is not well-formed XML",
                    firstLine(e.getMessage()) + where));
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the byte array
                }
            }
        }
    }

    /** StAX messages repeat the location on their first line ("ParseError at [row,col]:[3,5]\nMessage: ..."). */
    private static String firstLine(String message) {
        if (message == null) {
            return "not well-formed";
        }
        int m = message.indexOf("Message: ");
        String text = m >= 0 ? message.substring(m + "Message: ".length()) : message;
        int nl = text.indexOf('\n');
        return (nl >= 0 ? text.substring(0, nl) : text).trim();
    }
}
