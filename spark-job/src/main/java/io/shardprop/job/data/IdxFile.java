package io.shardprop.job.data;

import io.shardprop.core.data.IdxHeader;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.data.Streams;
import io.shardprop.job.io.HadoopFs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

/**
 * One IDX file as the driver sees it: its URI, validated header, whether it is gzipped, and its size.
 * Only the header is read; executors read their own byte ranges of the payload.
 */
public record IdxFile(String uri, IdxHeader header, boolean gzip, long bytes) implements Serializable {

    /** Reads and validates the header of {@code uri}; a plain file must also have exactly the payload it claims. */
    public static IdxFile open(HadoopFs fs, String uri) throws IOException {
        String name = new org.apache.hadoop.fs.Path(uri).getName();
        long bytes = fs.length(uri);
        try (InputStream raw = new BufferedInputStream(fs.open(uri))) {
            boolean gzip = Streams.isGzip(raw);
            InputStream in = Streams.openMaybeGzip(raw, name);
            IdxHeader header = IdxHeader.read(in, name);
            if (!gzip && bytes != header.headerBytes() + header.dataBytes()) {
                throw new MalformedFileException(name, "file has " + bytes + " bytes but its header describes "
                        + (header.headerBytes() + header.dataBytes()));
            }
            return new IdxFile(uri, header, gzip, bytes);
        }
    }

    public String name() {
        return header.name();
    }
}
