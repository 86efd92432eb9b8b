package io.weft.tools;

import io.weft.mapping.Mappings;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./validate.sh [--profile <name>] [routes-dir] [mappings-dir]}: checks a plant's integration files
 * before a deploy, without starting the hub or touching its database. The route files are loaded as Camel
 * loads them (YAML DSL into the route model) and the model is checked by concern: routes ({@link RouteFiles}:
 * ids, route configurations), endpoints and Kamelet uses ({@link EndpointChecks}), beans, mappings and layouts
 * they name ({@link BeanChecks}), headers, properties and destinations shared with Weft ({@link ContractChecks}),
 * settings ({@link PlaceholderChecks} against {@link PlantSettings}); then the Kamelets ({@link KameletChecks})
 * and the mappings folder ({@link MappingChecks}).
 *
 * <p>Prints one line per problem, {@code <file>:<line>[:<column>]: <problem>} (or {@code <file>: <path>: ...}
 * where a file has no lines to point at), and exits 1 if there is any, 0 if there is none, 2 on bad usage.
 */
public final class Validate {
    /** What to check: the two folders, and the settings profile the placeholders resolve for (null: none). */
    public record Options(Path routesDir, Path mappingsDir, String profile) {
        /** The plant's folder (where {@code config/application.properties} is): the routes folder's parent. */
        Path plantDir() {
            Path parent = routesDir.toAbsolutePath().normalize().getParent();
            return parent == null ? Path.of(".") : parent;
        }
    }

    private Validate() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--dry-run")) {
            DryRunCommand.Options dryRun = DryRunCommand.parse(args);
            if (dryRun == null) {
                System.err.println("usage: validate --dry-run <candidate mapping> --type <Type> --last <N> "
                        + "[--live <mapping>] [--store <jdbc url>] [mappings-dir]");
                System.exit(2);
            }
            System.exit(DryRunCommand.run(dryRun, System::getenv, System.out, System.err));
        }
        Options options = parse(args);
        if (options == null) {
            System.err.println("usage: validate [--profile <name>] [routes-dir] [mappings-dir]   (defaults: routes mappings)");
            System.exit(2);
        }
        System.exit(run(options, System.out, System.err));
    }

    static Options parse(String[] args) {
        List<String> dirs = new ArrayList<>();
        String profile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile") && i + 1 < args.length) {
                profile = args[++i];
            } else if (args[i].startsWith("-")) {
                return null;
            } else {
                dirs.add(args[i]);
            }
        }
        if (dirs.size() > 2) {
            return null;
        }
        return new Options(Path.of(dirs.size() > 0 ? dirs.get(0) : "routes"),
                Path.of(dirs.size() > 1 ? dirs.get(1) : "mappings"), profile);
    }

    public static int run(Path routesDir, Path mappingsDir, PrintStream out, PrintStream err) {
        return run(new Options(routesDir, mappingsDir, null), out, err);
    }

    /** Runs every check and prints the findings; returns the exit code. */
    public static int run(Options options, PrintStream out, PrintStream err) {
        for (Path dir : List.of(options.routesDir(), options.mappingsDir())) {
            if (!Files.isDirectory(dir)) {
                err.println("validate: " + dir + " is not a folder");
                return 2;
            }
        }
        long start = System.nanoTime();
        Findings findings = new Findings();
        check(options, findings);
        findings.all().forEach(out::println);
        long millis = (System.nanoTime() - start) / 1_000_000;
        int count = findings.all().size();
        String summary = "validate: " + findings.checkedFiles() + " files checked in " + millis + " ms, "
                + (count == 0 ? "no problems" : count + " problem" + (count == 1 ? "" : "s"));
        (count == 0 ? out : err).println(summary);
        return count == 0 ? 0 : 1;
    }

    /** Every problem in the two folders (no profile). */
    public static List<Finding> check(Path routesDir, Path mappingsDir) {
        Findings findings = new Findings();
        check(new Options(routesDir, mappingsDir, null), findings);
        return findings.all();
    }

    private static void check(Options options, Findings findings) {
        Mappings mapper = Mappings.standalone(options.mappingsDir());
        RouteFiles routes = new RouteFiles(findings);
        List<RouteStep> steps = routes.load(options.routesDir());
        Map<String, KameletChecks.Spec> kamelets = new KameletChecks(findings).check(options.routesDir().resolve("kamelets"));
        PlantSettings settings = new PlantSettings(options.plantDir(), options.profile(), System::getenv);
        for (RouteCheck check : routeChecks(findings, routes, kamelets, options, mapper, settings)) {
            check.check(steps);
        }
        new MappingChecks(findings, options.mappingsDir(), mapper).check();
    }

    /** The checks over the route model, by concern. */
    static List<RouteCheck> routeChecks(Findings findings, RouteFiles routes, Map<String, KameletChecks.Spec> kamelets,
                                        Options options, Mappings mapper, PlantSettings settings) {
        return List.of(
                new EndpointChecks(findings, routes.camelContext(), kamelets),
                new BeanChecks(findings, BeanClasses.find(), options.mappingsDir(), mapper),
                new ContractChecks(findings, routes.destinations()),
                new PlaceholderChecks(findings, settings),
                new PublishRightsCheck(findings, settings));
    }
}
