package io.shardprop.job.error;

/** Bad input or configuration, found before any Spark work: one line for the user, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
