package org.apache.hadoop.fs;

import java.io.IOException;

/** What Hadoop's local file system throws when a write finds the disk full (FSError's constructor is package-private). */
public final class FullDisk {

    private FullDisk() {
    }

    public static Error error() {
        return new FSError(new IOException("No space left on device"));
    }
}
