package org.attentionanalytics.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of the layout (README.md, Layout): no cycle between the top-level packages, the job's
 * packages never reach into the tools or the benchmark, the tools never into the benchmark, and
 * the shaded job jar holds none of their classes. This module sees every other module's classes,
 * so the rules live here; main classes only (test code may cross, e.g. a Kafka test of the job).
 */
class PackageRulesTest {
    /** The packages of the job module: what runs on a cluster. */
    static final String[] JOB = {
        "org.attentionanalytics.attention..", "org.attentionanalytics.avro..", "org.attentionanalytics.common..",
        "org.attentionanalytics.interest..", "org.attentionanalytics.io..", "org.attentionanalytics.job..",
        "org.attentionanalytics.pipeline..", "org.attentionanalytics.privacy..", "org.attentionanalytics.recommend..",
        "org.attentionanalytics.session.."
    };
    /** The packages of the tools module (bin/attention without bench). */
    static final String[] TOOLS = {
        "org.attentionanalytics.cli..",
        "org.attentionanalytics.evaluate..",
        "org.attentionanalytics.local..",
        "org.attentionanalytics.replay.."
    };

    static final String BENCH = "org.attentionanalytics.bench..";

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        ImportOption notTestJars = location -> !location.contains("-tests.jar") && !location.contains("/test-classes/");
        main = new ClassFileImporter().withImportOption(notTestJars).importPackages("org.attentionanalytics");
        assertThat(main.contain("org.attentionanalytics.job.AttentionJob")).isTrue();
        assertThat(main.contain("org.attentionanalytics.cli.AttentionCli")).isTrue();
        assertThat(main.contain("org.attentionanalytics.bench.BenchCommand")).isTrue();
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("org.attentionanalytics.(*)..")
                .should()
                .beFreeOfCycles()
                .check(main);
    }

    @Test
    void theJobDependsOnNeitherTheToolsNorTheBenchmark() {
        noClasses()
                .that()
                .resideInAnyPackage(JOB)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(TOOLS, BENCH))
                .check(main);
    }

    @Test
    void theToolsDoNotDependOnTheBenchmark() {
        noClasses()
                .that()
                .resideInAnyPackage(TOOLS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(BENCH)
                .check(main);
    }

    /** The jar submitted to a cluster: only the job's own classes and its bundled libraries. */
    @Test
    void theShadedJobJarHoldsNoToolOrBenchmarkClass() throws IOException {
        Path jar = Path.of("../job/target/attention-analytics-0.1.0-SNAPSHOT.jar");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(jar), "the job jar is built by mvn package");
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> tooling = file.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.matches("org/attentionanalytics/(cli|local|replay|bench)/.*")
                            || n.startsWith("kafka/server/")
                            || n.startsWith("org/openjdk/jmh/")
                            || n.startsWith("org/apache/flink/table/"))
                    .toList();
            assertThat(tooling).isEmpty();
            assertThat(file.getEntry("org/attentionanalytics/job/AttentionJob.class"))
                    .isNotNull();
        }
    }

    private static String[] concat(String[] a, String b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + 1);
        all[a.length] = b;
        return all;
    }
}
