package dev.meridian.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Module boundaries and the determinism rule, checked on every build. The server module sees
 * every other module on its class path, so this is where the whole picture is checked.
 */
class ArchitectureTest {

    /**
     * The logic packages that must be deterministic (BRIEF.md). I/O edges (RocksDB, gRPC,
     * threads) live in other packages on purpose; add a package here when it holds logic.
     */
    static final String[] DETERMINISTIC = {
            "dev.meridian.raft..",
            "dev.meridian.storage.mvcc..",
            "dev.meridian.storage.encoding..",
            "dev.meridian.cluster.replica.lease..",
            "dev.meridian.cluster.replica.tscache..",
            "dev.meridian.txn.logic..",
            "dev.meridian.cluster.replica.concurrency..",
            "dev.meridian.cluster.replica.txnrecord..",
            "dev.meridian.sql.plan..",
    };

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.meridian");
    }

    @Test
    void importsTheModulesItChecks() {
        // A rule over no classes proves nothing: make sure the modules were found.
        assertThat(production.containPackage("dev.meridian.storage")).isTrue();
        assertThat(production.containPackage("dev.meridian.storage.mvcc")).isTrue();
        assertThat(production.containPackage("dev.meridian.raft")).isTrue();
    }

    @Test
    void layersDependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("storage").definedBy("dev.meridian.storage..")
                .layer("raft").definedBy("dev.meridian.raft..")
                .layer("proto").definedBy("dev.meridian.proto..")
                .layer("cluster").definedBy("dev.meridian.cluster..")
                .layer("txn").definedBy("dev.meridian.txn..")
                .layer("sql").definedBy("dev.meridian.sql..")
                .layer("client").definedBy("dev.meridian.client..")
                .layer("tpcc").definedBy("dev.meridian.tpcc..")
                .layer("server").definedBy("dev.meridian.server..")
                .layer("benchmarks").definedBy("dev.meridian.benchmarks..")
                .whereLayer("benchmarks").mayNotBeAccessedByAnyLayer()
                .whereLayer("server").mayOnlyBeAccessedByLayers("benchmarks")
                .whereLayer("tpcc").mayOnlyBeAccessedByLayers("server", "benchmarks")
                .whereLayer("client").mayOnlyBeAccessedByLayers("tpcc", "server", "benchmarks")
                .whereLayer("sql").mayOnlyBeAccessedByLayers("server", "benchmarks")
                .whereLayer("txn").mayOnlyBeAccessedByLayers("sql", "server", "benchmarks")
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("txn", "sql", "server", "benchmarks")
                .whereLayer("proto").mayOnlyBeAccessedByLayers("cluster", "txn", "sql", "client", "server", "benchmarks", "tpcc")
                .whereLayer("raft").mayOnlyBeAccessedByLayers("cluster", "server", "benchmarks")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("cluster", "txn", "sql", "server", "benchmarks")
                .check(production);
    }

    @Test
    void modulesHaveNoCycles() {
        slices().matching("dev.meridian.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void logicPackagesAreDeterministic() {
        DeterminismRule.forPackages(DETERMINISTIC).check(production);
    }

    /** The rule must be able to fail: the fixture package breaks it in every way it names. */
    @Test
    void determinismRuleReportsKnownBadCode() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.meridian.server.archfixture");
        EvaluationResult result = DeterminismRule.forPackages("dev.meridian.server.archfixture..").evaluate(fixture);
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertThat(report)
                .contains("System.currentTimeMillis")
                .contains("System.nanoTime")
                .contains("Thread.<init>")
                .contains("Executors.newFixedThreadPool")
                .contains("ThreadLocalRandom.current")
                .contains("Math.random")
                .contains("HashMap.<init>")
                .contains("Set.of")
                .contains("Collectors.toSet")
                .contains("an unseeded random source");
        // Allowed forms are not reported: a seeded Random, TreeMap, toMap with a map factory.
        assertThat(report).doesNotContain(".seeded(").doesNotContain(".ordered(").doesNotContain(".collectedOrdered(");
        // ThreadLocalRandom.current() and its nextInt() are two calls: eleven in all.
        assertThat(result.getFailureReport().getDetails()).hasSize(11);
    }
}
