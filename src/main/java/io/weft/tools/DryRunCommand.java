package io.weft.tools;

import io.weft.journal.RecentMessages;
import io.weft.mapping.Mappings;
import io.weft.shadow.Candidates;
import io.weft.shadow.Comparison;
import io.weft.shadow.DryRun;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * {@code ./validate.sh --dry-run <candidate> --type <Type> --last <N> [--live <mapping>] [--store <jdbc url>]
 * [mappings-dir]}: the candidate mapping over the newest N journaled messages of the type, diffed against the live
 * mapping, read-only. The store defaults to the embedded one under {@code ./data} (open it only while Weft is
 * stopped: H2 allows one process); for PostgreSQL pass its JDBC URL, with {@code WEFT_DB_USER} and
 * {@code WEFT_DB_PASSWORD} from the environment (a password never on the command line).
 */
final class DryRunCommand {
    static final String DEFAULT_STORE = "jdbc:h2:file:./data/weft;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;IFEXISTS=TRUE";

    record Options(String candidate, String live, String type, int last, String store, Path mappingsDir) {
    }

    private DryRunCommand() {
    }

    /** Parses the arguments after {@code --dry-run}; null on bad usage. */
    static Options parse(String[] args) {
        String candidate = null, live = null, type = null, store = DEFAULT_STORE;
        Integer last = null;
        Path mappings = Path.of("mappings");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            if (a.equals("--dry-run") && hasValue) {
                candidate = args[++i];
            } else if (a.equals("--type") && hasValue) {
                type = args[++i];
            } else if (a.equals("--live") && hasValue) {
                live = args[++i];
            } else if (a.equals("--store") && hasValue) {
                store = args[++i];
            } else if (a.equals("--last") && hasValue && args[i + 1].matches("[0-9]{1,4}")) {
                last = Integer.parseInt(args[++i]);
            } else if (!a.startsWith("-")) {
                mappings = Path.of(a);
            } else {
                return null;
            }
        }
        if (candidate == null || type == null || last == null || last < 1) {
            return null;
        }
        candidate = candidate.replace('\\', '/');
        if (candidate.startsWith(mappings + "/")) {
            candidate = candidate.substring(mappings.toString().length() + 1); // a path given from the plant's folder
        }
        return new Options(candidate, live == null ? Candidates.liveOf(candidate) : live, type, last, store, mappings);
    }

    /** Runs the dry run and prints its report; exit 0 when every message maps the same, 1 otherwise, 2 on bad input. */
    static int run(Options options, Function<String, String> env, PrintStream out, PrintStream err) {
        if (options.live() == null) {
            err.println("validate: " + options.candidate() + " is not in a candidate/ folder: name the live mapping with --live");
            return 2;
        }
        for (String file : List.of(options.candidate(), options.live())) {
            if (!Files.isRegularFile(options.mappingsDir().resolve(file))) {
                err.println("validate: " + options.mappingsDir().resolve(file) + " is not a mapping file");
                return 2;
            }
        }
        Mappings mapper = Mappings.standalone(options.mappingsDir());
        Properties credentials = new Properties();
        if (env.apply("WEFT_DB_USER") != null) {
            credentials.setProperty("user", env.apply("WEFT_DB_USER"));
        }
        if (env.apply("WEFT_DB_PASSWORD") != null) {
            credentials.setProperty("password", env.apply("WEFT_DB_PASSWORD"));
        }
        List<RecentMessages.Journaled> messages;
        try (Connection c = DriverManager.getConnection(options.store(), credentials)) {
            c.setReadOnly(true);
            messages = RecentMessages.ofType(c, options.type(), options.last());
        } catch (SQLException e) {
            err.println("validate: cannot read the journal at " + options.store().replaceFirst(";.*", "")
                    + ": " + e.getMessage());
            return 2;
        }
        DryRun.Report report = DryRun.run(mapper, options.live(), options.candidate(), options.type(), messages);
        DryRun.lines(report).forEach(out::println);
        return report.counts().get(Comparison.Outcome.SAME) == report.messages() ? 0 : 1;
    }
}
