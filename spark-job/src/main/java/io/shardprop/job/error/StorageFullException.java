package io.shardprop.job.error;

import java.io.IOException;
import java.util.Set;

/**
 * A write that found its file system full: no space left on the device ({@code ENOSPC}; Hadoop's local file system
 * throws it as an {@code FSError}), or an HDFS space or name quota reached. Names the path and the bytes the write
 * needed, so that the one line the user reads says what is full and how much it takes.
 */
public final class StorageFullException extends IOException {

    private static final Set<String> QUOTA = Set.of("DSQuotaExceededException", "NSQuotaExceededException",
            "QuotaExceededException", "ClusterStorageCapacityExceededException");

    private final String path;
    private final long bytes;

    /** @param bytes what the write needed (0: unknown) */
    public StorageFullException(String path, long bytes, Throwable cause) {
        super((quota(cause) ? "quota exceeded writing " : "no space left writing ") + path
                + (bytes > 0 ? " (" + String.format("%,d", bytes) + " bytes)" : "") + ": " + reason(cause), cause);
        this.path = path;
        this.bytes = bytes;
    }

    public String path() {
        return path;
    }

    public long bytes() {
        return bytes;
    }

    /** Whether {@code e} or a cause of it says the file system is full or over a quota. */
    public static boolean isFull(Throwable e) {
        return full(e) != null;
    }

    /** What in {@code e}'s chain says the file system is full, or null. */
    static Throwable full(Throwable e) {
        Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("No space left on device") || isQuota(t)) {
                return t;
            }
        }
        return null;
    }

    /** Whether {@code t} is, or names, an HDFS quota exception. */
    private static boolean isQuota(Throwable t) {
        String m = String.valueOf(t.getMessage());
        return QUOTA.contains(t.getClass().getSimpleName()) || QUOTA.stream().anyMatch(m::contains);
    }

    /** Whether what is full is a quota (HDFS's), not the device. */
    private static boolean quota(Throwable cause) {
        Throwable t = full(cause);
        return t != null && isQuota(t);
    }

    private static String reason(Throwable cause) {
        Throwable t = full(cause);
        Throwable shown = t != null ? t : cause;
        String m = shown == null || shown.getMessage() == null ? "" : shown.getMessage().strip();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        if (m.contains("No space left on device")) {
            return "No space left on device";
        }
        return shown == null ? "full" : shown.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }
}
