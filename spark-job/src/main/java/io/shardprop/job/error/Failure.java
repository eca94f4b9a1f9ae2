package io.shardprop.job.error;

import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.train.TrainingDivergedException;

import java.util.ArrayList;
import java.util.List;

/**
 * What a failed command tells the user: one line and an exit code, found in the exception's cause chain, so
 * that an error raised in a task on an executor (which reaches the driver inside Spark's
 * {@code SparkException: Job aborted due to stage failure}) reads as it would have on the driver. The kind of
 * failure, hence the exit code, is decided by the types in the chain alone (a failure in one block,
 * {@link io.shardprop.core.train.BlockFailure}, by what caused it); messages only supply the wording.
 * <ul>
 *   <li>bad input: a {@link UsageException} or {@link MalformedFileException} (a file named, a problem): 2;
 *   <li>divergence: {@link TrainingDivergedException}, or an {@link ExactSumException} elsewhere: 1;
 *   <li>a stop by signal: {@link Interrupted}: 130 (SIGINT) or 143 (SIGTERM);
 *   <li>out of memory: 1, saying which memory to raise;
 *   <li>anything else: 1, with the first line of the exception and of its root cause.
 * </ul>
 *
 * @param exitCode the process's exit code
 * @param message  the line for the user (without the command's name)
 */
public record Failure(int exitCode, String message) {

    public static final int RUNTIME = 1;
    public static final int USAGE = 2;

    /** The failure {@code e} stands for. */
    public static Failure of(Throwable e) {
        List<Throwable> chain = chain(e);
        for (Throwable t : chain) {
            if (t instanceof Interrupted i) {
                return new Failure(i.exitCode(), i.getMessage());
            }
        }
        for (Throwable t : chain) {
            if (t instanceof UsageException || t instanceof MalformedFileException) {
                return new Failure(USAGE, firstLine(t.getMessage()));
            }
            if (t instanceof TrainingDivergedException) {
                return new Failure(RUNTIME, "failed: " + firstLine(t.getMessage()));
            }
            if (t instanceof ExactSumException) {
                return new Failure(RUNTIME, "failed: a sum overflowed (" + firstLine(t.getMessage())
                        + "): the model has diverged; try a lower --lr");
            }
            if (t instanceof StorageFullException full) {
                return new Failure(RUNTIME, "failed: " + firstLine(full.getMessage()) + "; free space there (or raise "
                        + "the quota) and run the command again (train: --resume continues from the newest checkpoint)");
            }
            if (t instanceof OutOfMemoryError) {
                return new Failure(RUNTIME, "failed: out of memory (" + firstLine(t.getMessage()) + "): raise the "
                        + "driver's heap (SHARDPROP_DRIVER_MEMORY, or spark-submit --driver-memory) or "
                        + "spark.executor.memory, or use a smaller --block-size");
            }
        }
        if (StorageFullException.isFull(e)) {  // e.g. in a Spark task writing predictions
            return new Failure(RUNTIME, "failed: the output's file system is full: " + describe(e, chain.get(
                    chain.size() - 1)) + "; free space there (or raise the quota) and run the command again");
        }
        return new Failure(RUNTIME, "failed: " + describe(e, chain.get(chain.size() - 1)));
    }

    /** {@code e}, its cause, its cause's cause, … (each once). */
    static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The exception's first line, and its root cause's when that says something else (wording only). */
    private static String describe(Throwable e, Throwable root) {
        String top = line(e);
        String bottom = line(root);
        if (root == e || top.contains(firstLine(root.getMessage()))) {
            return top;
        }
        if (e.getClass().getName().startsWith("org.apache.spark.")) {
            return bottom + " (in a Spark job: " + firstLine(e.getMessage()).replaceFirst(":.*", "") + ")";
        }
        return top + " (cause: " + bottom + ")";
    }

    private static String line(Throwable t) {
        return t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
    }

    private static String firstLine(String m) {
        String s = m == null ? "" : m.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
