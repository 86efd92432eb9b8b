package io.weft.shadow;

import io.weft.journal.RecentMessages;
import io.weft.mapping.JsonDiff;
import io.weft.mapping.Mappings;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A candidate mapping over journaled messages, diffed against what the live mapping delivers for each. Weft
 * journals the canonical message, not the body sent to the destination, so "what was delivered" is the live
 * mapping applied again to the journaled message: the same body as long as the live mapping file is the one that
 * delivered it. Used by {@code ./validate.sh --dry-run} and {@code POST /api/shadow/dry-runs}.
 */
public final class DryRun {
    private DryRun() {
    }

    public record MessageResult(String messageId, String subject, String outcome, List<Field> differences,
                                String error) {
    }

    public record Field(String path, String live, String candidate) {
    }

    public record Report(String type, String live, String candidate, int messages, Map<Comparison.Outcome, Integer> counts,
                         List<MessageResult> results) {
    }

    public static Report run(Mappings mapper, String liveFile, String candidateFile, String type,
                             List<RecentMessages.Journaled> messages) {
        Map<Comparison.Outcome, Integer> counts = new EnumMap<>(Comparison.Outcome.class);
        for (Comparison.Outcome o : Comparison.Outcome.values()) {
            counts.put(o, 0);
        }
        List<MessageResult> results = new ArrayList<>();
        for (RecentMessages.Journaled message : messages) {
            Comparison comparison;
            Object input;
            try {
                input = mapper.json().readValue(message.envelope(), Object.class);
            } catch (Exception e) {
                comparison = Comparison.failed(e);
                input = null;
            }
            if (input == null) {
                comparison = Comparison.failed(new IllegalStateException("the journaled envelope is not JSON"));
            } else {
                Object live;
                try {
                    live = mapper.mapToTree(input, liveFile);
                    comparison = Comparison.candidate(mapper, candidateFile, input, live);
                } catch (Throwable e) {
                    comparison = Comparison.failed(new IllegalStateException("the live mapping fails: " + e.getMessage()));
                }
            }
            counts.merge(comparison.outcome(), 1, Integer::sum);
            results.add(new MessageResult(message.id(), message.subject(), comparison.outcome().name(),
                    fields(comparison.differences()), comparison.error()));
        }
        return new Report(type, liveFile, candidateFile, messages.size(), counts, results);
    }

    static List<Field> fields(List<JsonDiff.Difference> differences) {
        return differences.stream().map(d -> new Field(d.pointer(), d.left(), d.right())).toList();
    }

    /** The report as text for the command line: one line per message, then the counts. */
    public static List<String> lines(Report report) {
        List<String> out = new ArrayList<>();
        for (MessageResult r : report.results()) {
            StringBuilder line = new StringBuilder(r.messageId()).append(" (").append(r.subject()).append("): ")
                    .append(r.outcome());
            if (r.error() != null) {
                line.append(": ").append(r.error());
            }
            out.add(line.toString());
            for (Field f : r.differences()) {
                out.add("  " + f.path() + ": live " + f.live() + ", candidate " + f.candidate());
            }
        }
        out.add("dry run of " + report.candidate() + " against " + report.live() + " over " + report.messages()
                + " " + report.type() + " messages: " + report.counts().get(Comparison.Outcome.SAME) + " same, "
                + report.counts().get(Comparison.Outcome.DIFFERENT) + " different, "
                + report.counts().get(Comparison.Outcome.FAILED) + " failed");
        return out;
    }
}
