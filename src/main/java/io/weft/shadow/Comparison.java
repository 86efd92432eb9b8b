package io.weft.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.mapping.JsonDiff;
import io.weft.mapping.Mappings;

import java.util.List;

/**
 * One comparison of two outputs for the same input: the live mapping's and a candidate's (a shadow run, a dry
 * run) or Weft's and a legacy script's. A candidate that throws (anything, even an Error) is {@link Outcome#FAILED},
 * never an exception for the caller.
 */
public record Comparison(Outcome outcome, List<JsonDiff.Difference> differences, String error) {
    private static final int MAX_ERROR = 2000;

    public enum Outcome { SAME, DIFFERENT, FAILED }

    public static Comparison of(ObjectMapper json, Object left, Object right) {
        JsonNode l = json.valueToTree(left);
        JsonNode r = json.valueToTree(right);
        List<JsonDiff.Difference> differences = JsonDiff.differences(l, r);
        return new Comparison(differences.isEmpty() ? Outcome.SAME : Outcome.DIFFERENT, differences, null);
    }

    /** Applies {@code candidateFile} to {@code input} and compares its output with {@code liveOutput}. */
    public static Comparison candidate(Mappings mapper, String candidateFile, Object input, Object liveOutput) {
        Object candidateOutput;
        try {
            candidateOutput = mapper.mapToTree(input, candidateFile);
        } catch (Throwable e) {
            return failed(e);
        }
        return of(mapper.json(), liveOutput, candidateOutput);
    }

    public static Comparison failed(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        return new Comparison(Outcome.FAILED, List.of(),
                message.length() <= MAX_ERROR ? message : message.substring(0, MAX_ERROR - 3) + "...");
    }
}
