package io.shardprop.job.cli;

import io.shardprop.job.bench.SparkBench;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.config.TrainOption;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.BlasLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The options of {@link SparkBench}, which does the work: the timed epochs, block size and partitions are the
 * declared training options ({@link TrainOptions}) with the bench's defaults; the figures of whole runs that
 * {@code scripts/bench.sh} measures outside come in as {@code --measured KEY=VALUE}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, modelTransformer = BenchCommand.Flags.class,
        description = "Time ShardProp epochs, Spark's per-step overhead and MLlib's MLPC side by side.")
public final class BenchCommand implements Callable<Integer> {

    /** What {@code --measured} takes: a whole {@code train} run's figures, measured by scripts/bench.sh. */
    enum Measured {
        /** Wall time of a whole {@code train} run of {@code run-epochs} epochs, start-up included. */
        RUN_SECONDS,
        /** The same with {@code --precision float32}. */
        RUN_SECONDS_FLOAT32,
        /** Epochs of those runs; MLPC is fitted for as many iterations. */
        RUN_EPOCHS,
        /** metrics.csv of a {@code train --engine local} seed run: the single-process core in the table. */
        LOCAL_METRICS
    }

    @Spec
    CommandSpec spec;
    @Option(names = "--data", paramLabel = "DIR", required = true, description = "MNIST folder.")
    String data;
    @Option(names = "--mlpc", arity = "1", defaultValue = "true", description = "Also time MLPC (default: ${DEFAULT-VALUE}).")
    boolean mlpc;
    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures here (local path).")
    String json;
    @Option(names = "--measured", paramLabel = "KEY=VALUE", description = "A figure measured outside: run-seconds, "
            + "run-seconds-float32, run-epochs (20 if not given) or local-metrics (a metrics.csv).")
    Map<String, String> measured;
    @Option(names = "--fit-iterations", paramLabel = "N", defaultValue = "100",
            description = "maxIter of MLPC's default l-bfgs fit against ShardPropClassifier.fit; 0 skips the "
                    + "comparison (default: ${DEFAULT-VALUE}).")
    int fitIterations;
    @Option(names = "--fit-epochs", paramLabel = "N", defaultValue = "0", description = "maxIter (epochs) of "
            + "ShardPropClassifier in that comparison (default: its own default, the preset's epochs).")
    int fitEpochs;

    /** bench's flags for the training options it times. */
    static final class Flags implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Map<TrainOption<?>, Object> defaults = new LinkedHashMap<>();
            defaults.put(TrainOptions.EPOCHS, 10);
            defaults.put(TrainOptions.BLOCK_SIZE, TrainConfig.FULL_BATCH_BLOCK);
            defaults.put(TrainOptions.PARTITIONS, 0);
            return TrainingFlags.add(spec, defaults);
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<Measured, String> m = new EnumMap<>(Measured.class);
        if (measured != null) {
            measured.forEach((k, v) -> m.put(key(k), v));
        }
        BlasLog.driver();
        return new SparkBench(new SparkBench.Settings(data, TrainingFlags.value(spec, TrainOptions.EPOCHS),
                TrainingFlags.value(spec, TrainOptions.BLOCK_SIZE), TrainingFlags.value(spec, TrainOptions.PARTITIONS),
                mlpc, json, m.get(Measured.LOCAL_METRICS), number(m, Measured.RUN_SECONDS, "NaN"),
                number(m, Measured.RUN_SECONDS_FLOAT32, "NaN"), (int) number(m, Measured.RUN_EPOCHS, "20"),
                fitIterations, fitEpochs)).run();
    }

    private static Measured key(String name) {
        try {
            return Measured.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--measured", "--measured: unknown figure '" + name + "' (known: run-seconds, "
                    + "run-seconds-float32, run-epochs, local-metrics)");
        }
    }

    private static double number(Map<Measured, String> m, Measured key, String otherwise) {
        String v = m.getOrDefault(key, otherwise);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--measured", "--measured " + key.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + "=" + v + ": not a number");
        }
    }
}
