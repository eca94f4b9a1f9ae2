package io.shardprop.job.config;

import io.shardprop.core.data.Deformation;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Loss;
import io.shardprop.core.optim.InnerState;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.train.EarlyStopping;

import java.util.Arrays;
import java.util.List;

import static io.shardprop.job.config.OptionType.BOOL;
import static io.shardprop.job.config.OptionType.DOUBLE;
import static io.shardprop.job.config.OptionType.INT;
import static io.shardprop.job.config.OptionType.INTS;
import static io.shardprop.job.config.OptionType.LONG;
import static io.shardprop.job.config.OptionType.TEXT;
import static io.shardprop.job.config.OptionType.choice;

/**
 * Every training option, declared once, in the order {@code train --help} lists them. The flags and config keys
 * of {@code train}, the Params of {@code ShardPropClassifier}, the recipe of {@code model.json} and
 * {@code checkpoint.json}, the range checks and {@code docs/cli.md} all come from this table. A {@code fitDefault}
 * is the classifier's default where it is on purpose not {@code train}'s: the MNIST preset
 * ({@code conf/mnist.properties}), but for the deformations ({@code shift} and the others), since a DataFrame's rows need not be images.
 */
public final class TrainOptions {

    private TrainOptions() {
    }

    public static final TrainOption<Integer> EPOCHS = TrainOption.of("epochs", "N", INT, 50, "Epochs.")
            .range(n -> n >= 1, "at least 1").param("maxIter").fitDefault(30).describesModel().build();
    public static final TrainOption<Double> LR = TrainOption.of("lr", "X", DOUBLE, 1e-5,
                    "Learning rate; applies to the summed gradient with --loss seed, the mean with xent.")
            .range(x -> x > 0 && Double.isFinite(x), "positive and finite").param("stepSize").fitDefault(0.2)
            .shapesWeights().build();
    public static final TrainOption<Loss> LOSS = TrainOption.of("loss", "MODE", choice(Loss.class), Loss.SEED,
                    "seed (the notebook's Softmax then Log(x + 1e-12), gradient summed) or xent (fused, stable "
                            + "log-softmax cross-entropy, gradient averaged) for classes; squared (half the squared "
                            + "error) or huber (Huber, delta 1) for regression (linear outputs, gradient averaged; "
                            + "squared is the default with --task regression).")
            .fitDefault(Loss.XENT).shapesWeights().build();
    public static final TrainOption<int[]> HIDDEN = TrainOption.of("hidden", "N[,N...]", INTS, new int[]{100},
                    "Hidden layer widths, e.g. 300,100.")
            .range(h -> h.length >= 1 && Arrays.stream(h).allMatch(x -> x >= 1 && x <= 65536),
                    "between 1 and 65536 each").shapesWeights().build();
    public static final TrainOption<Activation> ACTIVATION = TrainOption.of("activation", "NAME",
                    choice(Activation.class), Activation.RELU,
                    "The hidden layers' activation: relu (the notebook's), leaky-relu (slope 0.01), tanh, sigmoid "
                            + "(MLlib's MultilayerPerceptronClassifier's) or gelu (tanh form).")
            .shapesWeights().build();
    public static final TrainOption<Boolean> BIAS = TrainOption.of("bias", "BOOL", BOOL, false,
                    "Bias vectors in the layers after the first (the first always has the ones column).")
            .fitDefault(true).shapesWeights().build();
    public static final TrainOption<Init> INIT = TrainOption.of("init", "MODE", choice(Init.class), Init.NORMAL,
                    "normal (the notebook's N(0,1), drawn as numpy's RandomState(seed)), he or xavier (scaled, "
                            + "biases zero).")
            .fitDefault(Init.HE).describesModel().build();
    public static final TrainOption<String> INIT_WEIGHTS = TrainOption.of("init-weights", "DIR", TEXT, null,
            "Start from DIR/W1.npy, DIR/W2.npy, ... instead of --init.").noParam().describesModel().build();
    public static final TrainOption<Long> SEED = TrainOption.of("seed", "S", LONG, 0L,
                    "Seeds the initialisation and the mini-batch order.")
            .range(s -> s >= 0 && s <= 0xFFFF_FFFFL, "between 0 and 4294967295").shapesWeights().build();
    public static final TrainOption<Integer> BATCH_SIZE = TrainOption.of("batch-size", "B", INT, 0,
                    "Samples per step; 0 = full batch, one step per epoch.")
            .range(b -> b >= 0, "0 (full batch) or positive").fitDefault(256).shapesWeights().build();
    public static final TrainOption<OptimizerKind> OPTIMIZER = TrainOption.of("optimizer", "NAME",
                    choice(OptimizerKind.class), OptimizerKind.SGD, "sgd, momentum or adam.")
            .fitDefault(OptimizerKind.MOMENTUM).shapesWeights().build();
    public static final TrainOption<Double> MOMENTUM = TrainOption.of("momentum", "MU", DOUBLE, 0.9,
                    "Momentum coefficient (--optimizer momentum).")
            .range(TrainOptions::fraction, "in [0, 1)")
            .shapesWeights(v -> v.get(TrainOptions.OPTIMIZER) == OptimizerKind.MOMENTUM).build();
    public static final TrainOption<Double> BETA1 = TrainOption.of("beta1", "B1", DOUBLE, 0.9, "Adam β1.")
            .range(TrainOptions::fraction, "in [0, 1)")
            .shapesWeights(v -> v.get(TrainOptions.OPTIMIZER) == OptimizerKind.ADAM).build();
    public static final TrainOption<Double> BETA2 = TrainOption.of("beta2", "B2", DOUBLE, 0.999, "Adam β2.")
            .range(TrainOptions::fraction, "in [0, 1)")
            .shapesWeights(v -> v.get(TrainOptions.OPTIMIZER) == OptimizerKind.ADAM).build();
    public static final TrainOption<Double> WEIGHT_DECAY = TrainOption.of("weight-decay", "L", DOUBLE, 0.0,
                    "L2 penalty (sgd, momentum) or decoupled decay (adam).")
            .range(x -> x >= 0 && Double.isFinite(x), "≥ 0").fitDefault(1e-4).shapesWeights().build();
    public static final TrainOption<LrSchedule.Kind> LR_SCHEDULE = TrainOption.of("lr-schedule", "KIND",
                    choice(LrSchedule.Kind.class), LrSchedule.Kind.CONSTANT,
                    "constant, step (x gamma every --lr-step-size epochs) or cosine.")
            .fitDefault(LrSchedule.Kind.COSINE).shapesWeights().build();
    public static final TrainOption<Integer> LR_STEP_SIZE = TrainOption.of("lr-step-size", "E", INT, 10,
                    "Epochs between step decays.")
            .range(e -> e >= 1, "at least 1").shapesWeights(TrainOptions::stepSchedule).build();
    public static final TrainOption<Double> LR_GAMMA = TrainOption.of("lr-gamma", "G", DOUBLE, 0.1,
                    "Step decay factor.")
            .range(g -> g > 0 && Double.isFinite(g), "positive").shapesWeights(TrainOptions::stepSchedule).build();
    public static final TrainOption<Integer> REPLICAS = TrainOption.of("replicas", "R", INT, 2,
                    "With --syncs-per-epoch: replicas that each step on their own fixed shard of the blocks (block "
                            + "b belongs to replica b mod R); the result depends on R, never on partitions or "
                            + "executors.")
            .range(r -> r >= 1 && r <= 4096, "between 1 and 4096").shapesWeights(TrainOptions::localSteps).build();
    public static final TrainOption<Integer> SYNCS_PER_EPOCH = TrainOption.of("syncs-per-epoch", "K", INT, 0,
                    "Rounds of local steps an epoch: each replica runs its share of the epoch's mini-batch steps "
                            + "from the same weights, then the driver averages their changes (one Spark job a round); "
                            + "0 = a sync every step.")
            .range(k -> k >= 0, "0 (a sync every step) or positive").fitDefault(1)
            .shapesWeights(TrainOptions::localSteps).build();
    public static final TrainOption<Integer> REPLICA_BATCH = TrainOption.of("replica-batch", "B", INT, 0,
                    "With --syncs-per-epoch: samples in each replica's step, the same whatever --replicas is (an "
                            + "update across replicas then has R x B samples, in place of --batch-size); 0 = "
                            + "--batch-size / R.")
            .range(b -> b >= 0, "0 (--batch-size / R) or positive").shapesWeights(TrainOptions::localSteps).build();
    public static final TrainOption<InnerState> INNER_STATE = TrainOption.of("inner-state", "KIND",
                    choice(InnerState.class), InnerState.RESET,
                    "With --syncs-per-epoch: the replicas' optimizer state (momentum, Adam's moments) at a sync: "
                            + "reset (each round starts from zero) or average (averaged exactly with the weights and "
                            + "carried into the next round; kept on the driver and checkpointed).")
            .shapesWeights(TrainOptions::localSteps).build();
    public static final TrainOption<OuterOptimizer.Kind> OUTER = TrainOption.of("outer", "KIND",
                    choice(OuterOptimizer.Kind.class), OuterOptimizer.Kind.AVERAGE,
                    "The driver's update from the replicas' mean change: average (w := their mean, at --outer-lr 1) "
                            + "or nesterov (DiLoCo's outer Nesterov momentum).")
            .shapesWeights(TrainOptions::localSteps).build();
    public static final TrainOption<Double> OUTER_LR = TrainOption.of("outer-lr", "X", DOUBLE, 1.0,
                    "Outer learning rate.")
            .range(x -> x > 0 && Double.isFinite(x), "positive and finite").shapesWeights(TrainOptions::localSteps)
            .build();
    public static final TrainOption<Double> OUTER_MOMENTUM = TrainOption.of("outer-momentum", "MU", DOUBLE, 0.9,
                    "Outer Nesterov momentum.")
            .range(TrainOptions::fraction, "in [0, 1)")
            .shapesWeights(v -> localSteps(v) && v.get(TrainOptions.OUTER) == OuterOptimizer.Kind.NESTEROV).build();
    public static final TrainOption<Integer> SHIFT = TrainOption.of("shift", "PIXELS", INT, 0,
                    "Move every training image of every step (or local step) by up to PIXELS along each axis, at "
                            + "random (seeded by --seed, the epoch and the sample), uncovered pixels 0; 0 = none.")
            .range(s -> s >= 0 && s <= 64, "between 0 (none) and 64 pixels").shapesWeights(TrainOptions::deformed)
            .build();
    public static final TrainOption<Double> ELASTIC_ALPHA = TrainOption.of("elastic-alpha", "PIXELS", DOUBLE, 0.0,
                    "Simard's elastic distortion of every training image: a random displacement field smoothed by a "
                            + "Gaussian of width --elastic-sigma and scaled by this (Simard: 34; Ciresan: 36); 0 = none.")
            .range(a -> a >= 0 && a <= 1000, "between 0 (none) and 1000").shapesWeights(TrainOptions::deformed).build();
    public static final TrainOption<Double> ELASTIC_SIGMA = TrainOption.of("elastic-sigma", "PIXELS", DOUBLE,
                    Deformation.SIMARD_SIGMA, "Width of the elastic field's Gaussian (Simard: 4; Ciresan: 5-6).")
            .range(s -> s >= 0.5 && s <= 100, "between 0.5 and 100")
            .shapesWeights(v -> v.get(TrainOptions.ELASTIC_ALPHA) > 0).build();
    public static final TrainOption<Double> ROTATE = TrainOption.of("rotate", "DEGREES", DOUBLE, 0.0,
                    "Rotate every training image by a random angle up to this either way (Ciresan: 15); 0 = none.")
            .range(r -> r >= 0 && r <= 180, "between 0 (none) and 180 degrees")
            .shapesWeights(TrainOptions::deformed).build();
    public static final TrainOption<Double> SCALE = TrainOption.of("scale", "FRACTION", DOUBLE, 0.0,
                    "Scale every training image by random factors in [1 - FRACTION, 1 + FRACTION], each axis its own "
                            + "(Ciresan: 0.15); 0 = none.")
            .range(s -> s >= 0 && s < 1, "in [0, 1)").shapesWeights(TrainOptions::deformed).build();
    public static final TrainOption<Double> SHEAR = TrainOption.of("shear", "DEGREES", DOUBLE, 0.0,
                    "Shear every training image horizontally by a random angle up to this either way; 0 = none. "
                            + "Shift, rotation, scaling, shear and the elastic field make one resampling.")
            .range(s -> s >= 0 && s < 90, "in [0, 90) degrees").shapesWeights(TrainOptions::deformed).build();
    public static final TrainOption<Integer> IMAGE_HEIGHT = TrainOption.of("image-height", "ROWS", INT, 0,
                    "With a deformation: the images' rows, a row's features being height x width values; 0 = square "
                            + "images.")
            .range(h -> h >= 0, "0 (square images) or positive").shapesWeights(TrainOptions::deformed).build();
    public static final TrainOption<Integer> PARTITIONS = TrainOption.of("partitions", "P", INT, 0,
                    "Partitions of the cached blocks; 0 = the cluster's default parallelism.")
            .range(p -> p >= 0, "0 (Spark's default parallelism) or more").build();
    public static final TrainOption<Integer> BLOCK_SIZE = TrainOption.of("block-size", "ROWS", INT, 0,
                    "Samples per block; 0 = 2000 for full batch, else batch/4 or a divisor near it (a replica's "
                            + "batch with local steps).")
            .range(b -> b >= 0 && b <= 1 << 20, "0 (chosen from the batch size) or between 1 and 1048576")
            .shapesWeights().build();
    public static final TrainOption<Engine> ENGINE = TrainOption.of("engine", "NAME", choice(Engine.class),
                    Engine.SPARK, "spark (data-parallel) or local (the single-process core trainer on the driver, "
                            + "for comparison; no SparkSession).")
            .noParam().build();
    public static final TrainOption<Precision> PRECISION = TrainOption.of("precision", "P", choice(Precision.class),
                    Precision.FLOAT64, "float64 or float32: run the first layer's two products in float32 (sgemm), "
                            + "about twice as fast, on inputs rounded to float32 (a float cache holds them so: half "
                            + "the memory). Parameters, gradients and sums stay float64.")
            .fitDefault(Precision.FLOAT32).shapesWeights().build();
    public static final TrainOption<CacheType> CACHE = TrainOption.of("cache", "TYPE", choice(CacheType.class),
                    CacheType.AUTO, "auto, uint8, float32 or float64: how the cached blocks hold their inputs. uint8 "
                            + "keeps a byte a value (IDX pixels; features that are all integers 0-255 or pixel/255) "
                            + "and expands each block to --precision inside the step: the same weights in a quarter "
                            + "(float32) or an eighth (float64) of the memory. auto: uint8 when no value is lost, "
                            + "else --precision's float.")
            .build();
    public static final TrainOption<TargetScale> TARGET_SCALING = TrainOption.of("target-scaling", "KIND",
                    choice(TargetScale.class), TargetScale.STANDARDIZE,
                    "Regression: standardize (train on (y - mean) / std of the training targets, then fold both into "
                            + "the last layer, which needs --bias true; recorded in model.json) or none.")
            .shapesWeights(v -> v.get(TrainOptions.LOSS).regression()).build();
    public static final TrainOption<Integer> EARLY_STOPPING_PATIENCE = TrainOption.of("early-stopping-patience", "E",
                    INT, 0, "Stop when the validation set's --early-stopping-metric has not improved for E epochs, "
                            + "and keep the best epoch's weights; 0 = train every epoch, keep the last.")
            .range(e -> e >= 0, "0 (off) or positive")
            .shapesWeights(v -> v.get(TrainOptions.EARLY_STOPPING_PATIENCE) > 0).build();
    public static final TrainOption<EarlyStopping.Metric> EARLY_STOPPING_METRIC = TrainOption.of(
                    "early-stopping-metric", "NAME", choice(EarlyStopping.Metric.class), EarlyStopping.Metric.LOSS,
                    "What early stopping watches on the validation set: loss, accuracy, rmse or r2.")
            .shapesWeights(v -> v.get(TrainOptions.EARLY_STOPPING_PATIENCE) > 0).build();
    public static final TrainOption<Integer> CHECKPOINT_EVERY = TrainOption.of("checkpoint-every", "K", INT, 0,
                    "Write OUT/checkpoints/epoch-NNNN every K epochs; 0 = never.")
            .range(k -> k >= 0, "0 (never) or positive").noParam().build();

    /** Every option, in the help's order. */
    public static final List<TrainOption<?>> ALL = List.of(EPOCHS, LR, LOSS, HIDDEN, ACTIVATION, BIAS, INIT, INIT_WEIGHTS, SEED,
            BATCH_SIZE, OPTIMIZER, MOMENTUM, BETA1, BETA2, WEIGHT_DECAY, LR_SCHEDULE, LR_STEP_SIZE, LR_GAMMA,
            REPLICAS, SYNCS_PER_EPOCH, REPLICA_BATCH, INNER_STATE, OUTER, OUTER_LR, OUTER_MOMENTUM, SHIFT, ELASTIC_ALPHA, ELASTIC_SIGMA, ROTATE, SCALE,
            SHEAR, IMAGE_HEIGHT, PARTITIONS, BLOCK_SIZE,
            ENGINE, PRECISION, CACHE, TARGET_SCALING, EARLY_STOPPING_PATIENCE, EARLY_STOPPING_METRIC, CHECKPOINT_EVERY);

    /** The option named {@code name} (a flag without dashes), or null. */
    public static TrainOption<?> named(String name) {
        return ALL.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
    }

    private static boolean fraction(double x) {
        return x >= 0 && x < 1;
    }

    private static boolean stepSchedule(OptionValues v) {
        return v.get(LR_SCHEDULE) == LrSchedule.Kind.STEP;
    }

    /** Whether the values train with rounds of local steps. */
    static boolean localSteps(OptionValues v) {
        return v.get(SYNCS_PER_EPOCH) > 0;
    }

    /** Whether the values deform the training images. */
    static boolean deformed(OptionValues v) {
        return Augmentation.of(v).enabled();
    }
}
