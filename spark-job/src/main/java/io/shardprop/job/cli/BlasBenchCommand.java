package io.shardprop.job.cli;

import io.shardprop.job.bench.BlasBench;
import io.shardprop.job.io.BlasLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The options of {@link BlasBench}, which does the work. */
@Command(name = "blas", mixinStandardHelpOptions = true,
        description = "Describe this JVM's BLAS and time the first layer's products; or tabulate such rows.")
public final class BlasBenchCommand implements Callable<Integer> {

    @Option(names = "--label", paramLabel = "TEXT", description = "Name of this row (default: the BLAS summary).")
    String label;
    @Option(names = "--metrics", paramLabel = "FILE",
            description = "metrics.csv of seed runs with the same BLAS settings (repeatable): the median of their "
                    + "epochs (each run's first left out) goes in the row.")
    List<String> metrics = new ArrayList<>();
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "Time spent on each product (default: ${DEFAULT-VALUE}).")
    double seconds;
    @Option(names = "--json", paramLabel = "FILE", description = "Write the row here (local path).")
    String json;
    @Option(names = "--table", description = "Print the rows in the given JSON files instead of measuring.")
    boolean table;
    @Parameters(paramLabel = "ROW.json", arity = "0..*", description = "With --table: rows written by --json.")
    List<String> rows = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        BlasLog.driver();
        return new BlasBench(new BlasBench.Settings(label, metrics, seconds, json, table, rows)).run();
    }
}
