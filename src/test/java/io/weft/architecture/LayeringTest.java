package io.weft.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import io.weft.architecture.fixture.hub.Router;
import io.weft.architecture.fixture.journal.Entries;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packages follow the data: spokes (inbound, spoke, the inbound guard) → hub → journal and outbox → delivery, with
 * the tools, the operations API and the shadow runs on top and a foundation (envelope, mapping, store, api, audit,
 * observe, security, cluster) below all. A package may use the layers after it, never one before it, and no two
 * io.weft packages depend on each other. The dependencies that still break this are listed in {@link #KNOWN}, each
 * with the move that removes it; anything new fails.
 */
class LayeringTest {
    private static final String ROOT = "io.weft";

    /** Dependencies that break the layering today, as origin → target class names, each with its fix. */
    static final List<String[]> KNOWN = List.of(
            // Move KnownSystems and RouteCalls out of hub into a foundation package (e.g. io.weft.systems): the
            // delivery, observe and inbound guard use them, and they need nothing of the hub.
            new String[]{"io.weft.delivery.", "io.weft.systems.KnownSystems"},
            new String[]{"io.weft.delivery.", "io.weft.systems.RouteCalls"},
            new String[]{"io.weft.observe.", "io.weft.systems.KnownSystems"},
            // Dispatcher uses PublishWriter's group commit for its own writes: give the outbox its own writer.
            new String[]{"io.weft.delivery.Dispatcher", "io.weft.hub.PublishWriter"},
            // ProblemMappers maps the hub's exceptions to HTTP problems: each exception should map itself
            // (a ProblemException subtype in api) or the mapper move to the spokes' layer.
            new String[]{"io.weft.api.ProblemMappers", "io.weft.hub."},
            // The MQTT probe reads the MQTT consumer's session state: the consumer should report it to observe.
            new String[]{"io.weft.observe.SpokeProbes", "io.weft.spoke.mqtt."},
            // security's problem writer names the operators' authentication mechanism; security.operators uses
            // security's key hashes: the shared parts belong in one package.
            new String[]{"io.weft.security.SecurityProblems", "io.weft.security.operators."});

    private static final JavaClasses WEFT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    static Architectures.LayeredArchitecture layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("Top").definedBy(root + ".tools..", root + ".ops..", root + ".shadow..", root + ".demo..")
                .layer("Spokes").definedBy(root + ".inbound..", root + ".spoke..", root + ".security.inbound..")
                .layer("Hub").definedBy(root + ".hub..")
                .layer("Journal and outbox").definedBy(root + ".journal..")
                .layer("Delivery").definedBy(root + ".delivery..", root + ".security.outbound..")
                .layer("Foundation").definedBy(root + ".envelope..", root + ".mapping..", root + ".store..",
                        root + ".api..", root + ".audit..", root + ".observe..", root + ".security",
                        root + ".security.operators..", root + ".cluster..")
                .whereLayer("Top").mayNotBeAccessedByAnyLayer()
                .whereLayer("Spokes").mayOnlyBeAccessedByLayers("Top")
                .whereLayer("Hub").mayOnlyBeAccessedByLayers("Top", "Spokes")
                .whereLayer("Journal and outbox").mayOnlyBeAccessedByLayers("Top", "Spokes", "Hub")
                .whereLayer("Delivery").mayOnlyBeAccessedByLayers("Top", "Spokes", "Hub", "Journal and outbox")
                .whereLayer("Foundation").mayOnlyBeAccessedByLayers("Top", "Spokes", "Hub", "Journal and outbox",
                        "Delivery");
    }

    static Architectures.LayeredArchitecture weftLayers() {
        Architectures.LayeredArchitecture rule = layers(ROOT);
        for (String[] known : KNOWN) {
            rule = rule.ignoreDependency(
                    DescribedPredicate.describe("in " + known[0], c -> c.getName().startsWith(known[0])),
                    DescribedPredicate.describe("in " + known[1], c -> c.getName().startsWith(known[1])));
        }
        return rule;
    }

    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    @Test
    void packagesFollowTheData() {
        weftLayers().check(WEFT);
    }

    @Test
    void noCyclesBetweenWeftPackages() {
        var slicesRule = slices().matching(ROOT + ".(**)").should().beFreeOfCycles();
        for (String[] known : KNOWN) {
            slicesRule = slicesRule.ignoreDependency(
                    DescribedPredicate.describe("in " + known[0], c -> c.getName().startsWith(known[0])),
                    DescribedPredicate.describe("in " + known[1], c -> c.getName().startsWith(known[1])));
        }
        slicesRule.check(WEFT);
    }

    /** The rules themselves: a journal class that imports a hub class fails both (fixture under src/test). */
    @Test
    void aLowerPackageImportingAHigherOneFails() {
        JavaClasses fixture = new ClassFileImporter().importClasses(Router.class, Entries.class);
        String fixtureRoot = "io.weft.architecture.fixture";
        AssertionError layering = assertThrows(AssertionError.class, () -> layers(fixtureRoot).check(fixture));
        assertTrue(layering.getMessage().contains("Entries") && layering.getMessage().contains("Router"),
                layering.getMessage());
        AssertionError cycle = assertThrows(AssertionError.class, () -> noCycles(fixtureRoot).check(fixture));
        assertTrue(cycle.getMessage().contains("Cycle"), cycle.getMessage());
        // Only the journal's use of the hub is reported; the hub's use of the journal follows the data.
        assertTrue(layering.getMessage().lines().filter(l -> l.startsWith("Method") || l.startsWith("Constructor"))
                .allMatch(l -> l.startsWith("Method <io.weft.architecture.fixture.journal.Entries")), layering.getMessage());
    }
}
