package io.weft.mapping;

import com.dashjoin.jsonata.JException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mapping that failed while it ran without saying where: a JSONata function that threw a plain Java
 * exception ({@code $number("3OO")}: {@code NumberFormatException}) or an engine error without a position
 * (an operator on text). Finds the line anyway, from what the failure names: the function (from the stack),
 * the operator (from the message) and the offending value, whose input path the line must read.
 */
final class RuntimeFailures {
    private static final Pattern JAVA_INPUT = Pattern.compile("For input string: \"(.*)\"");
    private static final Pattern OPERATOR = Pattern.compile("side of the \"([^\"]+)\" operator");
    private static final String FUNCTIONS = "com.dashjoin.jsonata.Functions";

    private RuntimeFailures() {
    }

    static MappingException of(Mappings mappings, String mappingFile, Object input, RuntimeException e) {
        Matcher valueMatch = JAVA_INPUT.matcher(String.valueOf(e.getMessage()));
        String value = valueMatch.find() ? valueMatch.group(1) : null;
        String function = function(e);
        Matcher operator = OPERATOR.matcher(String.valueOf(e.getMessage()));
        String needle = function != null ? "$" + function + "(" : operator.find() ? operator.group(1) : null;

        String source = mappings.source(mappingFile);
        Mappings.Position found = null;
        Mappings.Position firstCandidate = null;
        List<String> paths = List.of();
        int offset = 0;
        for (String line : source.split("\n", -1)) {
            int at = needle == null ? -1 : line.indexOf(needle);
            if (at >= 0 || (needle == null && value != null)) {
                List<String> read = InputPaths.read(line, input, value);
                Mappings.Position position = mappings.position(mappingFile, offset + Math.max(at, indent(line)));
                if (!read.isEmpty()) {
                    found = position;
                    paths = read;
                    break;
                }
                if (at >= 0 && firstCandidate == null) {
                    firstCandidate = position;
                }
            }
            offset += line.length() + 1;
        }
        if (found == null) {
            found = firstCandidate;
            paths = value == null ? List.of() : InputPaths.holding(input, value);
        }
        return new MappingException(mappingFile, found == null ? null : found.describe(), paths, message(e, value, function), e);
    }

    private static String message(RuntimeException e, String value, String function) {
        if (e instanceof NumberFormatException && value != null) {
            return "'" + value + "' is not a number" + (function == null ? "" : " ($" + function + ")");
        }
        return e instanceof JException ? e.getMessage() : e.toString();
    }

    /** The JSONata built-in function that threw, e.g. "number", from the first engine frame of the stack. */
    private static String function(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals(FUNCTIONS)) {
                return frame.getMethodName().equals("call") ? null : frame.getMethodName();
            }
            if (frame.getClassName().startsWith("com.dashjoin.jsonata.")) {
                return null;
            }
        }
        return null;
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }
}
