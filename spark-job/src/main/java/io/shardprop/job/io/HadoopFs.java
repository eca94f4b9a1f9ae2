package io.shardprop.job.io;

import io.shardprop.job.error.StorageFullException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import scala.Tuple2;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Opening, creating and renaming files by URI through Hadoop {@link FileSystem}. */
public final class HadoopFs {

    /** Writes a file's content. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private final Configuration conf;

    public HadoopFs(Configuration conf) {
        this.conf = conf;
    }

    /**
     * The Hadoop configuration Spark would build, before any SparkContext exists: defaults plus every
     * {@code spark.hadoop.*} setting of the application's {@link SparkConf} (what spark-submit passed).
     */
    public static HadoopFs beforeSpark() {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
            conf.set(kv._1(), kv._2());
        }
        return new HadoopFs(conf);
    }

    public Configuration conf() {
        return conf;
    }

    public FileSystem fs(Path p) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        fs.setWriteChecksum(false); // no .crc side files next to outputs on the local file system
        return fs;
    }

    /** The fully qualified form of a path, e.g. {@code file:/home/me/out}. */
    public String qualify(String uri) {
        try {
            Path p = new Path(uri);
            return fs(p).makeQualified(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(uri + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String uri) throws IOException {
        Path p = new Path(uri);
        return fs(p).exists(p);
    }

    public boolean isFile(String uri) throws IOException {
        Path p = new Path(uri);
        return fs(p).isFile(p);
    }

    public long length(String uri) throws IOException {
        Path p = new Path(uri);
        return fs(p).getFileStatus(p).getLen();
    }

    public InputStream open(String uri) throws IOException {
        Path p = new Path(uri);
        return fs(p).open(p);
    }

    /** Creates the folder and its parents; fails if it cannot (no permission, a parent that is a file). */
    public void mkdirs(String uri) throws IOException {
        Path p = new Path(uri);
        boolean made;
        try {
            made = fs(p).mkdirs(p);
        } catch (IOException | org.apache.hadoop.fs.FSError e) {
            throw full(uri, 0, e);
        }
        if (!made) {
            throw new IOException("cannot create the folder " + uri);
        }
    }

    public boolean isDirectory(String uri) throws IOException {
        Path p = new Path(uri);
        return fs(p).getFileStatus(p).isDirectory();
    }

    public void deleteRecursively(String uri) throws IOException {
        Path p = new Path(uri);
        fs(p).delete(p, true);
    }

    /**
     * Writes {@code uri} completely under a temporary name, then renames it into place, replacing it: in one step
     * where the file system's rename replaces a file (the local one: POSIX rename), so that the file is never
     * missing; where it does not (HDFS), the old file is deleted first.
     */
    public void writeAtomically(String uri, Writer writer) throws IOException {
        Path target = new Path(uri);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        FileSystem fs = fs(target);
        long[] bytes = {0};
        try {
            try (FSDataOutputStream raw = fs.create(tmp, true); OutputStream out = counting(raw, bytes)) {
                writer.write(out);
            }
            if (!fs.rename(tmp, target) && !(fs.exists(target) && fs.delete(target, false) && fs.rename(tmp, target))) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
        } catch (IOException | RuntimeException | org.apache.hadoop.fs.FSError e) {
            deleteQuietly(fs, tmp, e);
            throw full(uri, bytes[0], e);
        }
    }

    /**
     * {@code e} as an IOException for the caller: a {@link StorageFullException} naming {@code uri} and the
     * {@code bytes} it needed when the file system is full or over quota; Hadoop's {@code FSError} (an Error, which
     * the local file system throws for a failed write) as its cause.
     */
    public static IOException full(String uri, long bytes, Throwable e) {
        if (e instanceof StorageFullException s) {
            return s;
        }
        if (StorageFullException.isFull(e)) {
            return new StorageFullException(uri, bytes, e);
        }
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof org.apache.hadoop.fs.FSError f && f.getCause() instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        return new IOException(e);
    }

    /**
     * After a failed write of {@code tmp}, a temporary folder that was to become {@code target}: removes {@code tmp}
     * and returns {@code e} for the caller to throw, a full file system reported as {@code target}'s, with all the
     * {@code bytes} it needed (a RuntimeException is thrown as it is).
     */
    public IOException abandoned(String tmp, String target, long bytes, Exception e) {
        deleteQuietly(tmp, e);
        if (e instanceof StorageFullException full) {
            return new StorageFullException(target, bytes, full.getCause());
        }
        if (e instanceof IOException io) {
            return io;
        }
        throw (RuntimeException) e;
    }

    /** Deletes {@code p} (a failed write's temporary file or folder); a failure is added to {@code e}. */
    public void deleteQuietly(String uri, Throwable e) {
        Path p = new Path(uri);
        try {
            deleteQuietly(fs(p), p, e);
        } catch (IOException x) {
            e.addSuppressed(x);
        }
    }

    private static void deleteQuietly(FileSystem fs, Path p, Throwable e) {
        try {
            fs.delete(p, true);
        } catch (IOException | RuntimeException | org.apache.hadoop.fs.FSError x) {
            e.addSuppressed(x);
        }
    }

    /** {@code out}, counting in {@code bytes[0]} every byte asked to be written (written or not). */
    private static OutputStream counting(OutputStream out, long[] bytes) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                bytes[0]++;
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                bytes[0] += len;
                out.write(b, off, len);
            }
        };
    }

    public void writeString(String uri, String content) throws IOException {
        writeAtomically(uri, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Names of the entries of a folder (empty if it does not exist). */
    public java.util.List<String> list(String uri) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = fs(p);
        java.util.List<String> names = new java.util.ArrayList<>();
        if (fs.exists(p)) {
            for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(p)) {
                names.add(st.getPath().getName());
            }
        }
        return names;
    }

    /** Whether {@code uri} has glob characters ({@code * ? [ \{}), as Hadoop's {@code globStatus} reads them. */
    public static boolean isGlob(String uri) {
        return uri.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** The files {@code pattern} matches (Hadoop's glob syntax), fully qualified, in name order; empty if none. */
    public java.util.List<String> glob(String pattern) throws IOException {
        Path p = new Path(pattern);
        org.apache.hadoop.fs.FileStatus[] found = fs(p).globStatus(p);
        java.util.List<String> files = new java.util.ArrayList<>();
        if (found != null) {
            java.util.Arrays.stream(found).filter(org.apache.hadoop.fs.FileStatus::isFile)
                    .sorted(java.util.Comparator.comparing(st -> st.getPath().getName()))
                    .forEach(st -> files.add(st.getPath().toString()));
        }
        return files;
    }

    /** Renames a file or folder; fails if the target exists or the rename does not happen. */
    public void rename(String from, String to) throws IOException {
        Path a = new Path(from);
        if (!fs(a).rename(a, new Path(to))) {
            throw new IOException("could not rename " + from + " to " + to);
        }
    }

    /** The whole content of a (small) file. */
    public byte[] readAll(String uri) throws IOException {
        try (InputStream in = open(uri)) {
            return in.readAllBytes();
        }
    }

    /** {@code dir/name} as a URI string. */
    public static String child(String dir, String name) {
        return new Path(dir, name).toString();
    }
}
