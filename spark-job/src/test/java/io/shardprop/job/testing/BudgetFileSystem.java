package io.shardprop.job.testing;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hadoop's local file system under the scheme {@code budget:}, full after {@link #REMAINING} more bytes: a write past
 * the budget fails as the local file system fails on a full disk ({@code FSError} of "No space left on device"), with
 * no root and no tmpfs. Register it with {@code fs.budget.impl} (e.g. the system property
 * {@code spark.hadoop.fs.budget.impl}); {@link #WRITTEN} counts every byte written through it.
 */
public class BudgetFileSystem extends RawLocalFileSystem {

    public static final AtomicLong REMAINING = new AtomicLong(Long.MAX_VALUE);
    public static final AtomicLong WRITTEN = new AtomicLong();
    private static final URI NAME = URI.create("budget:///");

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "budget";
    }

    @Override
    protected OutputStream createOutputStream(Path f, boolean append) throws IOException {
        return budgeted(super.createOutputStream(f, append));
    }

    @Override
    protected OutputStream createOutputStreamWithMode(Path f, boolean append, FsPermission permission)
            throws IOException {
        return budgeted(super.createOutputStreamWithMode(f, append, permission));
    }

    private static OutputStream budgeted(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                take(1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                take(len);
                out.write(b, off, len);
            }
        };
    }

    private static void take(long n) {
        if (REMAINING.addAndGet(-n) < 0) {
            REMAINING.set(0);
            throw org.apache.hadoop.fs.FullDisk.error();
        }
        WRITTEN.addAndGet(n);
    }
}
