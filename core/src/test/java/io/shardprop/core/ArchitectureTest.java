package io.shardprop.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's layering, checked on its compiled classes: no package cycles; nothing of Spark or of the Spark
 * job; layers and linear algebra below the model, the model below training.
 */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.shardprop.core");

    @Test
    void theClassesAreThere() {
        // the rules below would pass on an empty import
        assertTrue(CORE.size() > 40, CORE.size() + " classes imported");
        assertTrue(CORE.contain("io.shardprop.core.train.Trainer"));
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.shardprop.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void noSparkAndNoSparkJob() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..",
                "io.shardprop.job..", "picocli..", "org.apache.hadoop..").check(CORE);
    }

    @Test
    void layersAndLinearAlgebraDoNotKnowTheModelOrTraining() {
        noClasses().that().resideInAnyPackage("io.shardprop.core.linalg..", "io.shardprop.core.layer..",
                        "io.shardprop.core.exact..", "io.shardprop.core.optim..")
                .should().dependOnClassesThat().resideInAnyPackage("io.shardprop.core.model..",
                        "io.shardprop.core.train..", "io.shardprop.core.check..")
                .check(CORE);
        noClasses().that().resideInAPackage("io.shardprop.core.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.shardprop.core.train..",
                        "io.shardprop.core.check..")
                .check(CORE);
    }
}
