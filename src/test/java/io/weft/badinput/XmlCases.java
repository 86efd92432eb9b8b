package io.weft.badinput;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.weft.badinput.CaseBook.utf8;
import static io.weft.badinput.CaseBook.with;

/** Bad XML for the supplier portal's entry point, from its valid despatch advice. */
final class XmlCases {
    static final String PATH = "/inbound/supplier/shipment-notices";
    private static final Map<String, String> XML = Map.of("Content-Type", "application/xml");
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private final CaseBook book;
    private final Random random;
    private final String template = Samples.xmlTemplate();

    XmlCases(CaseBook book, Random random) {
        this.book = book;
        this.random = random;
    }

    private String valid(String marker) {
        return template.formatted(marker);
    }

    private String body(String marker) {
        return valid(marker).substring(DECLARATION.length()).strip();
    }

    void add() {
        String[] doctypes = {
            "<!DOCTYPE DespatchAdvice>",
            "<!DOCTYPE DespatchAdvice [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
            "<!DOCTYPE DespatchAdvice SYSTEM \"file:///etc/passwd\">",
            "<!DOCTYPE DespatchAdvice [<!ENTITY x SYSTEM \"http://127.0.0.1:1/evil\">]>",
            "<!DOCTYPE DespatchAdvice [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]>",
            "<!DOCTYPE DespatchAdvice PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">",
        };
        for (String doctype : doctypes) {
            String m = book.marker();
            String xml = DECLARATION + doctype + body(m).replace("<Carrier><Name>", "<Carrier><Name>&c;");
            book.post("DOCTYPE " + JsonCases.shown(doctype), PATH, XML, utf8(xml), true, m);
        }
        for (String entity : new String[]{"&foo;", "&c;", "&#0;", "&#x1;", "&#xFFFE;", "&", "&amp"}) {
            String m = book.marker();
            book.post("entity or character reference " + entity, PATH, XML,
                    utf8(valid(m).replace("DHL Freight", "DHL " + entity + " Freight")), true, m);
        }
        for (int depth : new int[]{65, 1000, 20000}) {
            String m = book.marker();
            String deep = "<n>".repeat(depth) + "x" + "</n>".repeat(depth);
            book.post("elements nested " + depth + " deep", PATH, XML, utf8(valid(m).replace("<Carrier>", "<Carrier>" + deep)), true, m);
        }
        for (int i = 0; i < 6; i++) {
            String m = book.marker();
            byte[] bytes = utf8(valid(m));
            int cut = random.nextInt(bytes.length - 1);
            book.post("truncated after " + cut + " of " + bytes.length + " bytes", PATH, XML, java.util.Arrays.copyOf(bytes, cut), true, m);
        }
        for (int i = 0; i < 5; i++) {
            String m = book.marker();
            byte[] bytes = utf8(valid(m));
            byte[] bad = JsonCases.BAD_UTF8.get(random.nextInt(JsonCases.BAD_UTF8.size()));
            int at = DECLARATION.length() + 1 + random.nextInt(bytes.length - DECLARATION.length() - 1);
            book.post("invalid UTF-8 " + JsonCases.hex(bad) + " at byte " + at, PATH, XML, JsonCases.insert(bytes, at, bad), true, m);
        }
        String latin = book.marker();
        book.post("ISO-8859-1 bytes declared as such", PATH, XML, (valid(latin).replace("UTF-8", "ISO-8859-1")
                .replace("DHL Freight", "DHL Fr\u00e9ight")).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), true, latin);
        for (String body : new String[]{"", " ", DECLARATION, "<a>", "</a>", "<a></b>", "<a/><b/>", "plain text",
                "{\"DespatchId\": \"x\"}", "<a attr=\"1\" attr=\"2\"/>", "<1a/>", "<a>\u0001</a>"}) {
            book.post("body " + JsonCases.shown(body.isEmpty() ? "(empty)" : body), PATH, XML, utf8(body), true, null);
        }
        for (String type : new String[]{null, "application/json", "text/plain", "application/xml; charset=utf-16",
                "image/svg", "xml"}) {
            String m = book.marker();
            book.post("content type " + (type == null ? "(none)" : type), PATH, with(Map.of(), "Content-Type", type), utf8(valid(m)), true, m);
        }
        for (String type : new String[]{"text/xml", "application/despatch+xml", "application/xml; charset=utf-8"}) {
            String m = book.marker();
            book.post("content type " + type, PATH, with(Map.of(), "Content-Type", type), utf8(valid(m)), false, m);
        }
        String longKey = book.marker();
        book.post("business key over its 64 characters", PATH, XML, utf8(valid(longKey + "k".repeat(300))), true, longKey);
        String headerKey = book.marker();
        book.post("header X-Correlation-Id of 65 characters", PATH, with(XML, "X-Correlation-Id", "c".repeat(65)),
                utf8(valid(headerKey)), true, headerKey);
        for (int i = 0; i < 30; i++) {
            mutation();
        }
    }

    private void mutation() {
        String m = book.marker();
        String xml = valid(m);
        String[] elements = {"DespatchId", "Supplier", "OrderRef", "DeliverTo", "ShipDate", "ExpectedArrival", "Carrier", "Line", "No", "Part", "Qty", "Batch"};
        String element = elements[random.nextInt(elements.length)];
        switch (random.nextInt(7)) {
            case 0 -> book.post("element " + element + " removed", PATH, XML,
                    utf8(xml.replaceAll("(?s)<" + element + "( [^>]*)?>.*?</" + element + ">", "")), false, m);
            case 1 -> {
                String value = List.of("1e999999", "9".repeat(400), "-5", "abc", "", "2026-99-99", "\u202e", "x".repeat(70_000))
                        .get(random.nextInt(8));
                book.post("text of " + element + " set to " + JsonCases.shown(value), PATH, XML,
                        utf8(xml.replaceAll("(?s)<" + element + "( [^>]*)?>[^<]*</" + element + ">", "<" + element + "$1>"
                                + java.util.regex.Matcher.quoteReplacement(value) + "</" + element + ">")), false, m);
            }
            case 2 -> book.post("element " + element + " repeated", PATH, XML, utf8(xml.replaceAll(
                    "(?s)(<" + element + "( [^>]*)?>.*?</" + element + ">)", "$1$1")), false, m);
            case 3 -> book.post("comment, CDATA and processing instruction added", PATH, XML, utf8(xml.replace("<Carrier>",
                    "<!-- note --><?pi data?><Carrier><![CDATA[<not>markup</not>]]>")), false, m);
            case 4 -> book.post("namespaced element added", PATH, XML, utf8(xml.replace("<Carrier>",
                    "<x:Extra xmlns:x=\"urn:x\" x:a=\"1\"><x:Deep/></x:Extra><Carrier>")), false, m);
            case 5 -> {
                byte[] bytes = utf8(xml);
                int at = DECLARATION.length() + random.nextInt(bytes.length - DECLARATION.length());
                byte was = bytes[at];
                bytes[at] = (byte) (33 + random.nextInt(94));
                book.post("byte " + at + " '" + (char) was + "' changed to '" + (char) bytes[at] + "'", PATH, XML, bytes, false, m);
            }
            default -> book.post("many attributes on Qty", PATH, XML, utf8(xml.replace("<Qty uom=\"PCS\">",
                    "<Qty uom=\"PCS\"" + attributes(200) + ">")), false, m);
        }
    }

    private static String attributes(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(" a").append(i).append("=\"").append(i).append('"');
        }
        return s.toString();
    }
}
