package io.shardprop.core.data;

/**
 * Thrown by every reader in {@code core} when a file's content is not what its format promises:
 * bad magic, unsupported type, impossible dimensions, too little or too much data.
 *
 * <p>The message always starts with the file name the caller gave, then {@code ": "} and the problem,
 * e.g. {@code "train-images-idx3-ubyte: truncated: expected 47040000 bytes of pixel data, found 1200"}.
 * I/O failures of the stream itself are reported as {@link java.io.UncheckedIOException} instead.
 */
public class MalformedFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The file name given by the caller. */
    private final String fileName;

    /**
     * @param fileName the name of the file, as the caller knows it (not modified)
     * @param problem  what is wrong with it, e.g. {@code "bad magic 0x00000903"}
     */
    public MalformedFileException(String fileName, String problem) {
        this(fileName, problem, null);
    }

    /**
     * @param fileName the name of the file, as the caller knows it
     * @param problem  what is wrong with it
     * @param cause    the low-level exception that revealed the problem, or {@code null}
     */
    public MalformedFileException(String fileName, String problem, Throwable cause) {
        super(fileName + ": " + problem, cause);
        this.fileName = fileName;
    }

    /** @return the file name given by the caller, which is also the start of the message */
    public String fileName() {
        return fileName;
    }
}
