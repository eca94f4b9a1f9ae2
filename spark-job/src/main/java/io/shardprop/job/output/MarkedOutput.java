package io.shardprop.job.output;

import io.shardprop.job.error.Failure;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutClaim;

import java.io.IOException;

/**
 * The output folder of {@code evaluate} or {@code predict} for the command's lifetime, as {@code train}'s: claimed
 * ({@link OutClaim}: a second command on it is refused), and marked {@code _RUNNING} while the command writes,
 * {@code _SUCCESS} when it is complete, {@code _FAILED} (the one-line reason, then the stack trace) when it stopped,
 * with what was written before the failure removed: a folder is complete, or says why not. Bad input that only Spark
 * finds (a row of the wrong width) leaves no folder, as bad input found before Spark starts.
 */
public final class MarkedOutput implements AutoCloseable {

    /** The part of a command that writes into the folder. */
    public interface Work {
        void run() throws Exception;
    }

    private final HadoopFs fs;
    private final String dir;
    private final OutClaim claim;

    private MarkedOutput(HadoopFs fs, String dir, OutClaim claim) {
        this.fs = fs;
        this.dir = dir;
        this.claim = claim;
    }

    /**
     * Claims {@code dir} (checked already by the command: {@code OutFolder.check}) for {@code command}; a claim
     * left by a crashed command is taken over when the folder may be replaced ({@code overwrite}) or is not there.
     */
    public static MarkedOutput claim(HadoopFs fs, String dir, String command, boolean overwrite) throws IOException {
        return new MarkedOutput(fs, dir, OutClaim.acquire(fs, dir, command, overwrite || !fs.exists(dir), "--out"));
    }

    /**
     * Runs {@code work} in the folder: replaces what was there (checked: only with --overwrite, only a folder of the
     * command's), marks it {@code _RUNNING}, then {@code _SUCCESS}; on a failure removes the partial output and
     * writes {@code _FAILED}, then rethrows.
     */
    public void run(Work work) throws Exception {
        boolean existed = fs.exists(dir);
        try {
            if (existed) {
                fs.deleteRecursively(dir);
            }
            RunOutput.createRunning(fs, dir, "since " + java.time.Instant.now() + "\n");
            work.run();
            fs.writeString(HadoopFs.child(dir, RunOutput.SUCCESS), "");
            fs.deleteRecursively(HadoopFs.child(dir, RunOutput.RUNNING));
        } catch (Exception | Error e) {
            Failure f = Failure.of(e);
            if (f.exitCode() == Failure.USAGE && !existed) {
                fs.deleteQuietly(dir, e);  // bad input found once Spark read it: no output, as before any Spark work
            } else {
                fail(f.message(), e);
            }
            throw e;
        }
    }

    /** Removes the partial output, writes {@code _FAILED}, then removes {@code _RUNNING}. Never throws. */
    private void fail(String message, Throwable cause) {
        java.util.List<String> partial;
        try {
            partial = fs.list(dir).stream().filter(n -> !n.equals(RunOutput.RUNNING)).toList();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            partial = java.util.List.of();
        }
        RunOutput.markFailed(fs, dir, partial, message, cause);
    }

    public String dir() {
        return dir;
    }

    /** Releases the claim. */
    @Override
    public void close() {
        claim.close();
    }
}
