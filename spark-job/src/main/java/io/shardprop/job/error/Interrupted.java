package io.shardprop.job.error;

/**
 * The run was stopped by SIGINT or SIGTERM: the command says so in one line and exits {@code 128 + signal}
 * (130 or 143), as a shell reports a process killed by that signal.
 */
public final class Interrupted extends RuntimeException {

    private final int exitCode;

    public Interrupted(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
