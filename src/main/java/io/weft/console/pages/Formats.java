package io.weft.console.pages;

import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How the pages print what the API answers: {@code {fmt:time(m.receivedAt)}} is 2026-12-01 12:43:29 UTC. */
@TemplateExtension(namespace = "fmt")
public final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String time(Object iso) {
        if (iso == null) {
            return "";
        }
        try {
            return TIME.format(Instant.parse(iso.toString())) + " UTC";
        } catch (DateTimeParseException e) {
            return iso.toString();
        }
    }
}
