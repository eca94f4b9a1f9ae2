package io.shardprop.job.error;

/**
 * Bad input or configuration, found before any Spark work: one line for the user, exit code 2. It may name the
 * option it is about ({@link #option()}), so that a {@code --config} file's value can be located without reading
 * the message.
 */
public class UsageException extends RuntimeException {

    private final String option;

    public UsageException(String message) {
        this(null, message);
    }

    /** A problem with the value of {@code option} (a flag such as {@code --lr}). */
    public UsageException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The flag whose value is wrong ({@code --lr}), or null when the problem is not one option's. */
    public String option() {
        return option;
    }
}
