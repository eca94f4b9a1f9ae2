package io.shardprop.job.io;

import io.shardprop.job.error.UsageException;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * The checks every command makes of its {@code --out} folder before Spark starts: an existing path needs
 * {@code --overwrite}, which replaces only a folder the same command wrote (recognised by the names it
 * holds) or an empty one; a file is refused; and the folder, or the nearest existing one above it, must be
 * writable, tried by creating and removing a probe.
 */
public final class OutFolder {

    /** The markers of a command's output folder ({@code _RUNNING}, {@code _SUCCESS}, {@code _FAILED}): any makes it ours. */
    public static final List<String> MARKERS = List.of("_RUNNING", "_SUCCESS", "_FAILED");

    private OutFolder() {
    }

    /**
     * @param ours  names of which at least one marks a folder this command wrote, e.g. {@code _SUCCESS}
     * @param kind  what such a folder is, for the message, e.g. {@code "an evaluation folder"}
     * @return the qualified URI of {@code dir}
     * @throws UsageException starting with {@code --out} or {@code --overwrite}
     */
    public static String check(HadoopFs fs, String dir, boolean overwrite, List<String> ours, String kind) {
        try {
            String q = fs.qualify(dir);
            boolean exists = fs.exists(q);
            if (exists && !fs.isDirectory(q)) {
                throw new UsageException("--out: " + q + " is a file, not a folder");
            }
            if (exists && !overwrite) {
                throw new UsageException("--out: " + q + " already exists; pass --overwrite to replace it");
            }
            if (exists) {
                requireOurs(fs, q, ours, kind);
            }
            probeWritable(fs, exists ? q : nearestExisting(fs, q), "--out: " + q);
            return q;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException("--out: " + dir + ": " + e.getMessage());
        }
    }

    /** Refuses to let {@code --overwrite} delete a non-empty folder that holds none of {@code ours}. */
    public static void requireOurs(HadoopFs fs, String dir, List<String> ours, String kind) throws IOException {
        List<String> names = fs.list(dir);
        if (!names.isEmpty() && names.stream().noneMatch(ours::contains)) {
            throw new UsageException("--overwrite: " + dir + " is not " + kind + " (it has none of "
                    + String.join(", ", ours) + "); not deleting it: choose another --out");
        }
    }

    /** The folder itself if it exists, else the nearest existing folder above it. */
    public static String nearestExisting(HadoopFs fs, String dir) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(fs.qualify(dir));
        while (p.getParent() != null && !fs.exists(p.toString())) {
            p = p.getParent();
        }
        return p.toString();
    }

    /** Creates and removes a folder with a file in {@code dir}: a UsageException starting with {@code what} if it fails. */
    public static void probeWritable(HadoopFs fs, String dir, String what) throws IOException {
        if (!fs.isDirectory(dir)) {
            throw new UsageException(what + ": " + dir + " is a file, not a folder");
        }
        String probe = HadoopFs.child(dir, ".shardprop-probe-" + UUID.randomUUID());
        try {
            fs.mkdirs(probe);
            fs.writeString(HadoopFs.child(probe, "probe"), "");
        } catch (IOException e) {
            throw new UsageException(what + ": cannot write in " + dir + " (" + e.getMessage() + ")");
        } finally {
            try {
                fs.deleteRecursively(probe);
            } catch (IOException ignored) {
                // nothing was created
            }
        }
    }
}
