package io.shardprop.job.cli;

import io.shardprop.job.Main;
import io.shardprop.job.config.OptionException;
import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.config.TrainOption;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.config.Vocabulary;
import io.shardprop.job.ml.ShardPropClassifier;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every surface of a training option is derived from its one declaration in {@link TrainOptions}. */
class TrainOptionsTest {

    private static final CommandLine.Model.CommandSpec TRAIN =
            new CommandLine(new Main()).getSubcommands().get("train").getCommandSpec();

    @Test
    void everyDeclarationIsAFlagOfTrainWithItsLabelDocAndDefault() {
        for (TrainOption<?> o : TrainOptions.ALL) {
            OptionSpec flag = TRAIN.findOption(o.flag());
            assertNotNull(flag, o.flag());
            assertEquals(o.label(), flag.paramLabel(), o.flag());
            String doc = o.doc().replaceFirst("\\.$", "");
            assertTrue(flag.description()[0].startsWith(doc), o.flag());
            assertTrue(flag.description()[0].contains(o.range()), o.flag());
            if (o.defaultValue() != null) {
                assertTrue(Objects.deepEquals(o.defaultValue(), o.type().parse(flag.defaultValue())), o.flag());
            }
        }
    }

    @Test
    void theCommandLineGivesTheDeclaredDefaultsAndParsesEveryType() {
        TrainCommand cmd = new TrainCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs("--data", "d", "--out", "o");
        OptionValues given = TrainingFlags.values(cl.getCommandSpec());
        for (TrainOption<?> o : TrainOptions.ALL) {
            assertTrue(Objects.deepEquals(o.defaultValue(), given.get(o)), o.flag());
        }
        cl.parseArgs("--data", "d", "--out", "o", "--hidden", "30,20", "--bias", "--seed", "4294967295",
                "--lr-schedule", "COSINE", "--weight-decay", "1e-4");
        given = TrainingFlags.values(cl.getCommandSpec());
        assertArrayEquals(new int[]{30, 20}, given.get(TrainOptions.HIDDEN));
        assertTrue(given.get(TrainOptions.BIAS));
        assertEquals(4294967295L, given.get(TrainOptions.SEED));
        assertEquals(io.shardprop.core.optim.LrSchedule.Kind.COSINE, given.get(TrainOptions.LR_SCHEDULE));
        assertEquals(1e-4, given.get(TrainOptions.WEIGHT_DECAY));
    }

    @Test
    void everyParamOfTheClassifierIsADeclarationWithItsFitDefault() {
        ShardPropClassifier c = new ShardPropClassifier();
        Set<String> names = new HashSet<>();
        for (Param<?> p : c.params()) {
            names.add(p.name());
        }
        for (TrainOption<?> o : TrainOptions.ALL) {
            if (o.param() == null) {
                assertTrue(List.of("init-weights", "engine", "checkpoint-every").contains(o.name()), o.flag());
                continue;
            }
            assertTrue(names.remove(o.param()), o.param());
            assertTrue(Objects.deepEquals(o.fitDefault(), c.get(o)), o.param());
            assertTrue(c.getParam(o.param()).doc().startsWith(o.doc()), o.param());
        }
        assertEquals(Set.of("featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol",
                "layers", "initialWeights", "weightCol", "validationIndicatorCol"), names, "the Params that are not training options");
        assertEquals("maxIter", c.maxIter().name());
        assertEquals("stepSize", c.stepSize().name());
    }

    @Test
    void aParamRefusesWhatTheDeclarationRefuses() {
        ShardPropClassifier c = new ShardPropClassifier();
        assertThrows(IllegalArgumentException.class, () -> c.set(TrainOptions.WEIGHT_DECAY, -1.0));
        assertThrows(IllegalArgumentException.class, () -> c.set(TrainOptions.HIDDEN, new int[]{0}));
        assertThrows(IllegalArgumentException.class, () -> c.set(c.getParam("loss"), "hinge"));
        c.set(TrainOptions.MOMENTUM, 0.5);
        assertEquals(0.5, c.get(TrainOptions.MOMENTUM));
    }

    @Test
    void aRangeIsCheckedOnceAndNamedInTheCallersVocabulary() {
        OptionValues bad = OptionValues.defaults().with(TrainOptions.WEIGHT_DECAY, -1.0);
        OptionException e = assertThrows(OptionException.class, () -> TrainConfig.of(bad));
        assertEquals("--weight-decay must be ≥ 0, got -1.0", e.message(Vocabulary.FLAGS));
        assertEquals("param weightDecay must be ≥ 0, got -1.0", e.message(Vocabulary.PARAMS));
        assertEquals("--weight-decay", e.option());
        OptionValues across = OptionValues.defaults().with(TrainOptions.BATCH_SIZE, 100)
                .with(TrainOptions.BLOCK_SIZE, 32);
        e = assertThrows(OptionException.class, () -> TrainConfig.of(across));
        assertEquals("--batch-size 100 must be a multiple of --block-size 32", e.getMessage());
        assertEquals("param batchSize 100 must be a multiple of param blockSize 32", e.message(Vocabulary.PARAMS));
    }

    @Test
    void theRecipeHoldsTheOptionsThatShapeTheWeightsByTheirNames() {
        TrainConfig sgd = TrainConfig.of(OptionValues.defaults());
        assertEquals(List.of("lr", "loss", "hidden", "activation", "bias", "seed", "batch-size", "optimizer",
                "weight-decay", "lr-schedule", "block-size", "precision"), List.copyOf(sgd.recipe().keySet()));
        assertEquals("2000", sgd.recipe().get("block-size"), "the block size as chosen");
        TrainConfig nesterov = TrainConfig.of(OptionValues.defaults().with(TrainOptions.OPTIMIZER,
                        io.shardprop.core.optim.OptimizerKind.MOMENTUM).with(TrainOptions.BATCH_SIZE, 20)
                .with(TrainOptions.SYNCS_PER_EPOCH, 1).with(TrainOptions.OUTER, io.shardprop.core.optim.OuterOptimizer.Kind.NESTEROV));
        assertTrue(nesterov.recipe().keySet().containsAll(List.of("momentum", "replicas", "syncs-per-epoch", "outer",
                "outer-lr", "outer-momentum")), nesterov.recipe().toString());
        assertNull(nesterov.recipe().get("beta1"), "Adam's settings are not used");
        assertEquals(20, nesterov.described().get("batch-size"), "model.json: JSON values by the same names");
        assertEquals(List.of(100), nesterov.described().get("hidden"));
        assertEquals(50, nesterov.described().get("epochs"), "model.json also has the epochs");
        assertNull(nesterov.recipe().get("epochs"), "which a resumed run may change");
        assertEquals(TrainOptions.ALL.size(), TrainOptions.ALL.stream().map(TrainOption::name).distinct().count());
        assertEquals(TrainOptions.ALL.size(), TrainOptions.ALL.stream().map(o -> String.valueOf(o.param()))
                .distinct().count() + 2, "one Param name an option (three have none)");
    }
}
