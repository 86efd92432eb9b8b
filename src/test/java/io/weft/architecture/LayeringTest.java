package io.weft.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import io.weft.architecture.fixture.hub.Router;
import io.weft.architecture.fixture.journal.Entries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packages follow the data: spokes (inbound, spoke, the inbound guard) → hub → journal and outbox → delivery, with
 * the tools, the operations API, the console and the shadow runs on top and a foundation (envelope, mapping, store,
 * api, audit, observe, security with its operators and TLS material, cluster, systems) below all; every class is in
 * one of these layers. A package may use the layers after it, never one before it, and
 * no two io.weft packages depend on each other. There are no exceptions: a dependency against the data fails.
 */
class LayeringTest {
    private static final String ROOT = "io.weft";

    private static final JavaClasses WEFT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    static Architectures.LayeredArchitecture layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("Top").definedBy(root + ".tools..", root + ".ops..", root + ".shadow..", root + ".demo..",
                        root + ".console..")
                .layer("Spokes").definedBy(root + ".inbound..", root + ".spoke..", root + ".security.inbound..")
                .layer("Hub").definedBy(root + ".hub..")
                .layer("Journal and outbox").definedBy(root + ".journal..")
                .layer("Delivery").definedBy(root + ".delivery..", root + ".security.outbound..")
                .layer("Foundation").definedBy(root + ".envelope..", root + ".mapping..", root + ".store..",
                        root + ".api..", root + ".audit..", root + ".observe..", root + ".security",
                        root + ".security.operators..", root + ".security.tls..", root + ".cluster..", root + ".systems..")
                .whereLayer("Top").mayNotBeAccessedByAnyLayer()
                .whereLayer("Spokes").mayOnlyBeAccessedByLayers("Top")
                .whereLayer("Hub").mayOnlyBeAccessedByLayers("Top", "Spokes")
                .whereLayer("Journal and outbox").mayOnlyBeAccessedByLayers("Top", "Spokes", "Hub")
                .whereLayer("Delivery").mayOnlyBeAccessedByLayers("Top", "Spokes", "Hub", "Journal and outbox")
                .whereLayer("Foundation").mayOnlyBeAccessedByLayers("Top", "Spokes", "Hub", "Journal and outbox",
                        "Delivery");
    }

    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    @Test
    void packagesFollowTheData() {
        // Every class in some layer: a new package must be placed, not left outside the rule.
        layers(ROOT).ensureAllClassesAreContainedInArchitecture().check(WEFT);
    }

    @Test
    void noCyclesBetweenWeftPackages() {
        noCycles(ROOT).check(WEFT);
    }

    /**
     * The delivery table (and its attempts) has one owner: every statement that reads or writes it is in
     * io.weft.delivery, which the journal, the observers and the operations API call. ArchUnit sees no SQL text,
     * so this reads the sources.
     */
    @Test
    void theDeliveryTablesSqlLivesInTheDeliveryPackage() throws IOException {
        Pattern statement = Pattern.compile("\\b(FROM|JOIN|INTO|UPDATE)\\s+delivery(_attempt)?\\b");
        Path sources = Path.of("src/main/java/io/weft");
        Path owner = sources.resolve("delivery");
        List<Path> elsewhere = new ArrayList<>();
        List<Path> owners = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (statement.matcher(Files.readString(file)).find()) {
                    List<Path> found = file.getParent().equals(owner) ? owners : elsewhere;
                    found.add(file);
                }
            }
        }
        assertTrue(elsewhere.isEmpty(), "SQL on the delivery table outside io.weft.delivery: " + elsewhere);
        assertTrue(owners.contains(owner.resolve("Outbox.java")), "the scan found the outbox itself: " + owners);
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
