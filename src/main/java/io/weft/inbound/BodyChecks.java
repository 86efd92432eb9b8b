package io.weft.inbound;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.weft.api.Problem;
import io.weft.api.ProblemException;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The checks the HTTP edge makes on a body before any route sees it: UTF-8, well formed, at most
 * {@code maxDepth} levels of nesting, one JSON value that is an object or array, numbers a double can hold,
 * no DTD in XML. Each failure is a 400 problem saying what and where; deeper nesting than a mapping can walk
 * or a number it cannot represent would otherwise fail later, inside the mapping, as an internal error.
 */
final class BodyChecks {
    private BodyChecks() {
    }

    /** The body decoded as UTF-8; anything else (including a lone byte of a broken sequence) is refused. */
    static String utf8(byte[] raw) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw bad("invalid-utf8", "The body is not valid UTF-8",
                    "the body must be UTF-8; the byte sequence at byte offset " + firstBadByte(raw) + " is not");
        }
    }

    static void requireJson(JsonFactory factory, byte[] raw, int maxDepth) {
        try (JsonParser parser = factory.createParser(raw)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                throw bad("malformed-json", "The body is not a JSON object",
                        "the body must be a JSON object (or array); it starts with " + describe(first) + at(parser.currentLocation()));
            }
            int depth = 0;
            for (JsonToken t = first; t != null; t = parser.nextToken()) {
                if (t.isStructStart() && ++depth > maxDepth) {
                    throw bad("too-deep", "The body is nested too deeply", "JSON nested deeper than " + maxDepth
                            + " levels (weft.inbound.max-depth)" + at(parser.currentLocation()));
                } else if (t.isStructEnd() && --depth == 0) {
                    JsonToken after = parser.nextToken();
                    if (after != null) {
                        throw bad("malformed-json", "The body is not valid JSON",
                                "more content after the JSON value" + at(parser.currentLocation()));
                    }
                    return;
                } else if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                    requireRepresentable(parser);
                }
            }
        } catch (JsonProcessingException e) {
            // getLocation() is null for some failures (a limit of Jackson's StreamReadConstraints, say).
            throw bad("malformed-json", "The body is not valid JSON", e.getOriginalMessage() + at(e.getLocation()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireRepresentable(JsonParser parser) throws IOException {
        double value = parser.getValueAsDouble(Double.NaN);
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            String text = parser.getText();
            throw bad("number-out-of-range", "A number is out of range", "the number "
                    + (text.length() > 40 ? text.substring(0, 40) + "... (" + text.length() + " characters)" : text)
                    + " is beyond what a 64-bit floating point number holds (about ±1.8e308)"
                    + at(parser.currentTokenLocation()));
        }
    }

    /**
     * Reads every event of the document. A DTD is refused: no system of the plant needs one, and refusing it
     * rules out entity expansion and external entities before the route's XML reader sees the body.
     */
    static void requireXml(byte[] raw, int maxDepth) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(raw));
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD) {
                    throw bad("malformed-xml", "The body is not acceptable XML",
                            "a DOCTYPE declaration is not accepted" + at(reader.getLocation()));
                } else if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw bad("malformed-xml", "The body is not acceptable XML", "the entity reference &"
                            + reader.getLocalName() + "; is not declared (only &amp; &lt; &gt; &quot; &apos;)"
                            + at(reader.getLocation()));
                } else if (event == XMLStreamConstants.START_ELEMENT && ++depth > maxDepth) {
                    throw bad("too-deep", "The body is nested too deeply", "XML nested deeper than " + maxDepth
                            + " elements (weft.inbound.max-depth)" + at(reader.getLocation()));
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            // Parsers report some failures (a broken encoding, say) as runtime exceptions of their own.
            Location where = e instanceof XMLStreamException x ? x.getLocation() : null;
            throw bad("malformed-xml", "The body is not well-formed XML", firstLine(e.getMessage()) + at(where));
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

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    private static String at(JsonLocation where) {
        return where == null || where.getLineNr() < 1 ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    private static String at(Location where) {
        return where == null || where.getLineNumber() < 1 ? ""
                : " at line " + where.getLineNumber() + ", column " + where.getColumnNumber();
    }

    /** StAX messages repeat the location on their first line ("ParseError at [row,col]:[3,5]\nMessage: ..."). */
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "not well-formed";
        }
        int m = message.indexOf("Message: ");
        String text = m >= 0 ? message.substring(m + "Message: ".length()) : message;
        int nl = text.indexOf('\n');
        return (nl >= 0 ? text.substring(0, nl) : text).trim();
    }

    private static int firstBadByte(byte[] raw) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(raw.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    static ProblemException bad(String slug, String title, String detail) {
        return new ProblemException(Problem.of(400, slug, title, detail));
    }
}
