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
        String charset = type.getParameters().entrySet().stream()
                .filter(p -> MediaType.CHARSET_PARAMETER.equalsIgnoreCase(p.getKey())).map(java.util.Map.Entry::getValue)
                .findFirst().orElse(null);
        if (charset != null && !charset.trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported charset",
                    "This resource takes UTF-8 only; the Content-Type names charset '" + printable(charset) + "'"));
        }
    }

    /** A header value as it can be quoted in an answer: at most 100 characters, control characters as '?'. */
    static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
