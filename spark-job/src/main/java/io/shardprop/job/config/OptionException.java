package io.shardprop.job.config;

import io.shardprop.job.error.UsageException;

import java.util.function.Function;

/**
 * A value of a declared option, or a combination of them, that training cannot use. The message is composed
 * for the surface that reports it ({@link #message(Vocabulary)}): {@code --block-size} on the command line,
 * {@code param blockSize} in Spark ML, with no text rewritten. {@link #getMessage()} is the command line's.
 */
public final class OptionException extends UsageException {

    private final transient Function<Vocabulary, String> text;

    /**
     * @param option the option the problem is first about (a {@code --config} file's key is located by it)
     * @param text   the message, given how options are named
     */
    public OptionException(TrainOption<?> option, Function<Vocabulary, String> text) {
        super(option.flag(), text.apply(Vocabulary.FLAGS));
        this.text = text;
    }

    /** {@code name must be range, got value}. */
    static OptionException outOfRange(TrainOption<?> option, Object value) {
        return new OptionException(option, v -> v.name(option) + " must be " + option.range() + ", got "
                + option.type().formatAny(value));
    }

    /** The message with options named as {@code vocabulary} names them. */
    public String message(Vocabulary vocabulary) {
        return text.apply(vocabulary);
    }
}
