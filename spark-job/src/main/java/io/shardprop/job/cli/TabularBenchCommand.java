package io.shardprop.job.cli;

import io.shardprop.job.bench.TabularBench;
import io.shardprop.job.io.BlasLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** The options of {@link TabularBench}, which does the work. */
@Command(name = "tabular-bench", mixinStandardHelpOptions = true,
        description = "Spark ML pipelines on small tabular sets: ShardPropRegressor against LinearRegression, "
                + "CrossValidator fits of ShardPropClassifier against MLPC, class weights.")
public final class TabularBenchCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "The folder scripts/tabular.py writes (diabetes.csv, friedman1.csv, iris.csv, "
                    + "imbalanced.csv, sklearn.json).")
    String data;
    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures here (local path).")
    String json;

    @Override
    public Integer call() throws Exception {
        BlasLog.driver();
        return new TabularBench(new TabularBench.Settings(data, json)).run();
    }
}
