package io.shardprop.job.cli;

import io.shardprop.core.check.GradientCheck;
import io.shardprop.job.io.BlasLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code gradcheck}: central finite differences of every layer and of the whole model; no Spark needed. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check every layer's backward pass against central finite differences (exit 1 on failure).")
public final class GradcheckCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tolerance", defaultValue = "1e-6", description = "Largest relative error (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() {
        BlasLog.driver();
        boolean ok = true;
        for (GradientCheck.Result r : GradientCheck.all(seed)) {
            boolean pass = r.passes(tolerance);
            ok &= pass;
            System.out.println(r + (pass ? "  ok" : "  FAILED"));
        }
        return ok ? 0 : 1;
    }
}
