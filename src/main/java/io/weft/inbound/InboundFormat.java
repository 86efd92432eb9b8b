package io.weft.inbound;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.ConfigProvider;

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
        } catch (RuntimeException e) {
            type = null; // not a media type at all: answered as unsupported below
        }
        // Media type names are case-insensitive (RFC 9110).
        String main = type == null ? "" : type.getType().toLowerCase(Locale.ROOT);
        String sub = type == null ? "" : type.getSubtype().toLowerCase(Locale.ROOT);
        boolean ok = type != null && switch (this) {
            case JSON -> "application".equals(main) && ("json".equals(sub) || sub.endsWith("+json"));
            case XML -> ("application".equals(main) || "text".equals(main)) && ("xml".equals(sub) || sub.endsWith("+xml"));
        };
        if (!ok) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported content type",
                    "This resource takes " + mediaType + "; got " + (contentType == null ? "no Content-Type"
                            : "'" + printable(contentType) + "'")));
        }
    }

    /**
     * Weft reads UTF-8 only. A body labelled {@code us-ascii} or {@code iso-8859-1} is taken too when it is pure
     * ASCII, where those charsets and UTF-8 agree (HTTP clients add such labels on their own); any other label,
     * or non-ASCII bytes under one of those, is 415.
     */
    static void requireUtf8Charset(String contentType, byte[] raw) {
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (RuntimeException e) {
            return; // refused by requireContentType already
        }
        String charset = type.getParameters().entrySet().stream()
                .filter(p -> MediaType.CHARSET_PARAMETER.equalsIgnoreCase(p.getKey())).map(java.util.Map.Entry::getValue)
                .map(c -> c.trim().replace("\"", "").toLowerCase(Locale.ROOT)).findFirst().orElse("utf-8");
        boolean asciiLabel = charset.equals("us-ascii") || charset.equals("iso-8859-1") || charset.equals("latin1");
        if (charset.equals("utf-8") || (asciiLabel && isAscii(raw))) {
            return;
        }
        throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported charset",
                "This resource takes UTF-8; the Content-Type names charset '" + printable(charset) + "'"
                        + (asciiLabel ? " and the body is not plain ASCII" : "")));
    }

    private static boolean isAscii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** A header value as it can be quoted in an answer: at most 100 characters, control characters as '?'. */
    static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
