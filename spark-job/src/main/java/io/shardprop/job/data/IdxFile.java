package io.shardprop.job.data;

import io.shardprop.core.data.IdxHeader;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.data.Streams;
import io.shardprop.job.io.HadoopFs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One IDX input as the driver sees it: a file, or a set split into parts (a glob such as
 * {@code train-images-idx3-ubyte.part-*}, parts in name order, plain or gzipped each) read as one file whose
 * samples are the parts' one after the other. Only the headers are read here; executors read their own byte
 * ranges of the payload ({@link Blocks}).
 *
 * @param uri   the file, or the glob of the parts
 * @param name  the file's name, or the glob's last component, for messages
 * @param magic the IDX magic, the same in every part
 * @param count samples in all parts
 * @param rows  rows of an image (0 for labels)
 * @param cols  columns of an image (0 for labels)
 * @param parts the files in sample order (one for a file)
 */
public record IdxFile(String uri, String name, int magic, int count, int rows, int cols, List<Part> parts)
        implements Serializable {

    /**
     * One file of the input.
     *
     * @param first the input's index of its first sample
     */
    public record Part(String uri, IdxHeader header, boolean gzip, long bytes, long first) implements Serializable {
        public String name() {
            return header.name();
        }

        /** Bytes of one sample: an image's pixels, or 1 for a label. */
        long sampleBytes() {
            return header.count() == 0 ? 0 : header.dataBytes() / header.count();
        }
    }

    public IdxFile {
        parts = List.copyOf(parts);
    }

    /**
     * Reads and validates the header of {@code uri}, or of every file it matches when it is a glob; a plain file
     * must also have exactly the payload it claims, and the parts of a set must agree (magic, image size).
     *
     * @throws MalformedFileException naming the file that is malformed or disagrees, or a glob that matches none
     */
    public static IdxFile open(HadoopFs fs, String uri) throws IOException {
        if (!HadoopFs.isGlob(uri)) {
            Part p = part(fs, uri, 0);
            return new IdxFile(uri, p.name(), p.header().magic(), p.header().count(), rows(p), cols(p), List.of(p));
        }
        String name = new org.apache.hadoop.fs.Path(uri).getName();
        List<String> files = fs.glob(uri);
        if (files.isEmpty()) {
            throw new MalformedFileException(name, "no file matches " + uri);
        }
        List<Part> parts = new ArrayList<>();
        long count = 0;
        for (String f : files) {
            Part p = part(fs, f, count);
            Part first = parts.isEmpty() ? p : parts.get(0);
            if (p.header().magic() != first.header().magic() || rows(p) != rows(first) || cols(p) != cols(first)) {
                throw new MalformedFileException(p.name(), String.format("magic 0x%08x, %d x %d, but %s has magic "
                        + "0x%08x, %d x %d: the parts of %s must agree", p.header().magic(), rows(p), cols(p),
                        first.name(), first.header().magic(), rows(first), cols(first), name));
            }
            parts.add(p);
            count += p.header().count();
        }
        if (count > Integer.MAX_VALUE) {
            throw new MalformedFileException(name, count + " samples in " + parts.size() + " parts: at most "
                    + Integer.MAX_VALUE);
        }
        Part first = parts.get(0);
        return new IdxFile(uri, name, first.header().magic(), (int) count, rows(first), cols(first), parts);
    }

    private static Part part(HadoopFs fs, String uri, long first) throws IOException {
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
            return new Part(uri, header, gzip, bytes, first);
        }
    }

    private static int rows(Part p) {
        return p.header().dims().length == 3 ? p.header().rows() : 0;
    }

    private static int cols(Part p) {
        return p.header().dims().length == 3 ? p.header().cols() : 0;
    }

    /** Pixels of an image ({@code rows × cols}). */
    public int pixels() {
        return rows * cols;
    }

    /** Whether some part is gzipped. */
    public boolean gzip() {
        return parts.stream().anyMatch(Part::gzip);
    }

    /** Bytes of all parts, as stored. */
    public long bytes() {
        return parts.stream().mapToLong(Part::bytes).sum();
    }

    /** Whether the input is split into more than one file. */
    public boolean split() {
        return parts.size() > 1;
    }
}
