package io.shardprop.core.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Reads and writes MNIST's IDX files (see {@link IdxHeader} for the format).
 *
 * <p>Readers take plain or gzip content (detected from the first two bytes), check the magic
 * ({@code 0x00000803} images, {@code 0x00000801} labels), validate the header before reading any
 * payload, read the payload incrementally (a lying header fails with "truncated", never with an
 * allocation of its claimed size), and reject trailing bytes. Bad content throws
 * {@link MalformedFileException}; stream failures throw {@link UncheckedIOException}; both messages
 * start with the file name. Streams are not closed.
 *
 * <p>In gzip content the trailing-bytes check applies to the decompressed bytes: like {@code gzip -d},
 * {@link java.util.zip.GZIPInputStream} ignores junk after the last gzip member, so such a file still
 * reads (its members' CRCs and lengths are checked).
 */
public final class Idx {
    /** Magic number of an images file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a labels file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {
    }

    /**
     * Reads an images file (magic {@code 0x00000803}), plain or gzipped.
     *
     * @param in   the file content (read to the end, not closed)
     * @param name the file name, for messages
     * @throws MalformedFileException for a bad header (a labels file included), too little or too much data
     */
    public static IdxImages readImages(InputStream in, String name) {
        InputStream plain = Streams.openMaybeGzip(in, name);
        IdxHeader h = IdxHeader.read(plain, name);
        requireMagic(h, IMAGES_MAGIC, "images");
        byte[] pixels = readPayload(plain, h, "pixel data");
        return new IdxImages(name, h.count(), h.rows(), h.cols(), pixels);
    }

    /**
     * Reads a labels file (magic {@code 0x00000801}), plain or gzipped; every label must be a digit 0–9.
     *
     * @param in   the file content (read to the end, not closed)
     * @param name the file name, for messages
     * @return one byte per label, each 0–9
     * @throws MalformedFileException for a bad header (an images file included), too little or too much
     *                                data, or a label outside 0–9 (naming its index and value)
     */
    public static byte[] readLabels(InputStream in, String name) {
        InputStream plain = Streams.openMaybeGzip(in, name);
        IdxHeader h = IdxHeader.read(plain, name);
        requireMagic(h, LABELS_MAGIC, "labels");
        byte[] labels = readPayload(plain, h, "labels");
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i] & 0xff;
            if (v > 9) {
                throw new MalformedFileException(name, "label " + v + " at index " + i + " is not a digit 0-9");
            }
        }
        return labels;
    }

    /**
     * Checks that there is exactly one label per image.
     *
     * @param labelsName the labels file name, which starts the message
     * @throws MalformedFileException naming both files and both counts if they differ
     */
    public static void checkSameCount(IdxImages images, byte[] labels, String labelsName) {
        if (images.count() != labels.length) {
            throw new MalformedFileException(labelsName, labels.length + " labels but " + images.name()
                    + " has " + images.count() + " images");
        }
    }

    /**
     * Writes an uncompressed images file. {@code out} is flushed, not closed.
     *
     * @param pixels {@code count * rows * cols} bytes, row-major (not modified)
     * @throws IllegalArgumentException if the sizes disagree or exceed what the reader accepts
     */
    public static void writeImages(OutputStream out, int count, int rows, int cols, byte[] pixels) {
        IdxImages images = new IdxImages("pixels", count, rows, cols, pixels);
        write(out, header("images", count, rows, cols), images.pixels());
    }

    /**
     * Writes an uncompressed labels file. {@code out} is flushed, not closed. Labels are not checked,
     * so tests can write broken files.
     *
     * @param labels one byte per label (not modified)
     */
    public static void writeLabels(OutputStream out, byte[] labels) {
        write(out, header("labels", labels.length), labels);
    }

    private static IdxHeader header(String what, int... dims) {
        try {
            return IdxHeader.of(what, IdxHeader.UNSIGNED_BYTE, dims);
        } catch (MalformedFileException e) {
            throw new IllegalArgumentException("cannot write " + e.getMessage(), e);
        }
    }

    private static void write(OutputStream out, IdxHeader h, byte[] payload) {
        try {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(h.magic());
            for (int d : h.dims()) {
                data.writeInt(d);
            }
            data.write(payload);
            data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing IDX " + h.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static void requireMagic(IdxHeader h, int magic, String what) {
        if (h.magic() != magic) {
            String found = h.isImages() ? "an images file" : "a labels file";
            throw new MalformedFileException(h.name(), String.format(
                    "magic 0x%08x is %s, expected %s (0x%08x)", h.magic(), found, what, magic));
        }
    }

    /**
     * Reads a whole IDX file, plain or gzipped, without keeping its payload: the header must be valid and the
     * payload exactly as long as it claims. A gzipped file is decompressed to its end, so the CRC-32 and length
     * in the trailer of every member are checked (a corrupt or truncated {@code .gz} fails here, where a reader
     * of byte ranges would never reach its trailer). Memory: one 64 KiB buffer.
     *
     * @param in   the file content (read to the end, not closed)
     * @param name the file name, for messages
     * @return the header
     * @throws MalformedFileException for a bad header, corrupt gzip data, a bad trailer, too little or too
     *                                much data
     */
    public static IdxHeader verify(InputStream in, String name) {
        InputStream plain = Streams.openMaybeGzip(in, name);
        IdxHeader h = IdxHeader.read(plain, name);
        String what = h.isImages() ? "pixel data" : "labels";
        byte[] chunk = new byte[1 << 16];
        long left = h.dataBytes();
        while (left > 0) {
            int want = (int) Math.min(chunk.length, left);
            int got = Streams.readUpTo(plain, chunk, 0, want, name);
            left -= got;
            if (got < want) {
                throw new MalformedFileException(name, "truncated: expected " + h.dataBytes() + " bytes of " + what
                        + ", found " + (h.dataBytes() - left));
            }
        }
        Streams.requireEnd(plain, h.dataBytes(), name, what);
        return h;
    }

    private static byte[] readPayload(InputStream in, IdxHeader h, String what) {
        byte[] payload = Streams.readExactly(in, h.dataBytes(), h.name(), what);
        Streams.requireEnd(in, h.dataBytes(), h.name(), what);
        return payload;
    }
}
