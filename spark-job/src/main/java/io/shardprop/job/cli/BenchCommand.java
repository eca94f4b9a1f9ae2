package io.shardprop.job.cli;

import io.shardprop.job.bench.SparkBench;
import io.shardprop.job.io.BlasLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** The options of {@link SparkBench}, which does the work. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time ShardProp epochs, Spark's per-step overhead and MLlib's MLPC side by side.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "MNIST folder.")
    String data;
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Timed epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "2000", description = "Rows per block (default: ${DEFAULT-VALUE}).")
    int blockSize;
    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0", description = "Partitions (default: Spark's default parallelism).")
    int partitions;
    @Option(names = "--mlpc", arity = "1", defaultValue = "true", description = "Also time MLPC (default: ${DEFAULT-VALUE}).")
    boolean mlpc;
    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures here (local path).")
    String json;
    @Option(names = "--local-metrics", paramLabel = "FILE",
            description = "metrics.csv of a `train --engine local` seed run, to put the single-process core in the table.")
    String localMetrics;
    @Option(names = "--run-seconds", paramLabel = "S", defaultValue = "NaN",
            description = "Wall time of a whole `train` run of --run-epochs epochs, start-up included, measured outside.")
    double runSeconds;
    @Option(names = "--run-seconds-float32", paramLabel = "S", defaultValue = "NaN",
            description = "The same with --precision float32.")
    double runSecondsFloat32;
    @Option(names = "--run-epochs", paramLabel = "N", defaultValue = "20",
            description = "Epochs of that run; MLPC is fitted for as many iterations (default: ${DEFAULT-VALUE}).")
    int runEpochs;

    @Option(names = "--fit-iterations", paramLabel = "N", defaultValue = "100",
            description = "maxIter of MLPC's default l-bfgs fit against ShardPropClassifier.fit; 0 skips the "
                    + "comparison (default: ${DEFAULT-VALUE}).")
    int fitIterations;
    @Option(names = "--fit-epochs", paramLabel = "N", defaultValue = "0",
            description = "maxIter (epochs) of ShardPropClassifier in that comparison (default: its own default, "
                    + "the preset's epochs).")
    int fitEpochs;

    @Override
    public Integer call() throws Exception {
        BlasLog.driver();
        return new SparkBench(new SparkBench.Settings(data, epochs, blockSize, partitions, mlpc, json, localMetrics,
                runSeconds, runSecondsFloat32, runEpochs, fitIterations, fitEpochs)).run();
    }
}
