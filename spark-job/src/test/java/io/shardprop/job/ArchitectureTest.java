package io.shardprop.job;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark job's layering (README, "How it works"), checked on its compiled classes, top to bottom:
 * {@code Main} → {@code cli} (picocli: options, commands, exit codes) → the commands' work ({@code train},
 * {@code bench}, {@code predict}, {@code ml}, {@code augment}) → {@code output} (a run's folder) → {@code eval} and
 * {@code report} (figures, charts) → {@code model} (saved models) → {@code data} (IDX files, cached blocks,
 * sums to the driver) → {@code io}, {@code config}, {@code error} (Hadoop file systems, a run's settings,
 * usage errors), all on {@code io.shardprop.core}.
 */
class ArchitectureTest {

    private static final String JOB = "io.shardprop.job";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(JOB);

    @Test
    void theClassesAreThere() {
        // the rules below would pass on an empty import
        assertTrue(CLASSES.size() > 50, CLASSES.size() + " classes imported");
        assertTrue(CLASSES.contain(JOB + ".Main"));
        assertTrue(CLASSES.contain(JOB + ".train.TrainRun"));
    }

    @Test
    void noPackageCycles() {
        slices().matching(JOB + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void nothingImportsMain() {
        noClasses().that().resideOutsideOfPackage(JOB).should().dependOnClassesThat().resideInAPackage(JOB)
                .check(CLASSES);
    }

    @Test
    void onlyTheCommandLineKnowsPicocli() {
        noClasses().that().resideOutsideOfPackages(JOB, JOB + ".cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(CLASSES);
    }

    @Test
    void commandsHoldNoTrainingWorkflow() {
        // cli parses, calls a workflow (train.TrainWorkflow, predict.Scoring, bench) and reports: it never builds a
        // trainer, caches blocks, runs Spark jobs, resumes a checkpoint or writes a run folder itself
        noClasses().that().resideInAPackage(JOB + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage(JOB + ".output..", "io.shardprop.core.train..")
                .orShould().dependOnClassesThat().haveNameMatching(JOB + "\\.train\\.(TrainRun|Stop|SparkData)(\\$.*)?")
                .orShould().dependOnClassesThat()
                .haveNameMatching(JOB + "\\.data\\.(Blocks|FrameBlocks|ImageBlocks|LocalFiles)(\\$.*)?")
                .orShould().dependOnClassesThat().haveNameMatching(JOB + "\\.io\\.SparkRun(\\$.*)?")
                .check(CLASSES);
    }

    @Test
    void layersOnlyLookDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Main").definedBy(JOB)
                .layer("Cli").definedBy(JOB + ".cli..")
                .layer("Commands").definedBy(JOB + ".train..", JOB + ".bench..", JOB + ".predict..", JOB + ".ml..",
                        JOB + ".augment..")
                .layer("Output").definedBy(JOB + ".output..")
                .layer("Evaluation").definedBy(JOB + ".eval..", JOB + ".report..")
                .layer("Model").definedBy(JOB + ".model..")
                .layer("Data").definedBy(JOB + ".data..")
                .layer("Foundation").definedBy(JOB + ".io..", JOB + ".config..", JOB + ".error..")
                .whereLayer("Main").mayNotBeAccessedByAnyLayer()
                .whereLayer("Cli").mayOnlyBeAccessedByLayers("Main")
                .whereLayer("Commands").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Output").mayOnlyBeAccessedByLayers("Cli", "Commands")
                .whereLayer("Evaluation").mayOnlyBeAccessedByLayers("Cli", "Commands", "Output")
                .whereLayer("Model").mayOnlyBeAccessedByLayers("Cli", "Commands", "Output", "Evaluation")
                .whereLayer("Data").mayOnlyBeAccessedByLayers("Cli", "Commands", "Output", "Evaluation", "Model")
                .whereLayer("Foundation").mayOnlyBeAccessedByLayers("Main", "Cli", "Commands", "Output", "Evaluation",
                        "Model", "Data")
                .check(CLASSES);
    }
}
