package io.shardprop.core.data;

import java.io.InputStream;
import java.util.Arrays;

/**
 * The header of an IDX file (LeCun's MNIST format), validated.
 *
 * <p>Format, all integers big-endian: two zero bytes, a type byte, the number of dimensions {@code ndims},
 * then {@code ndims} 32-bit sizes, then the data in row-major order. MNIST images are
 * {@code 0x00000803} (unsigned bytes, 3 dims: count, rows, cols); labels are {@code 0x00000801}
 * (unsigned bytes, 1 dim: count).
 *
 * <p>Every instance is valid: type {@code 0x08} (the only one accepted), 1 or 3 dimensions, every size ≥ 0,
 * rows and cols ≤ {@value #MAX_SIDE}, and {@code dataBytes ≤ Streams.MAX_PAYLOAD_BYTES}. So a header that
 * claims 10<sup>12</sup> images is rejected here, before anything is allocated.
 *
 * @param name        the file name, for messages
 * @param typeCode    the element type byte, always {@code 0x08} (unsigned byte)
 * @param dims        the sizes, {@code [count]} or {@code [count, rows, cols]} (copied; never modified)
 * @param headerBytes {@code 4 + 4 * dims.length}
 * @param dataBytes   the product of {@code dims}: payload size in bytes
 */
public record IdxHeader(String name, int typeCode, int[] dims, long headerBytes, long dataBytes)
        implements java.io.Serializable {
    /** The only accepted type byte: unsigned byte. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** The largest accepted image side (rows or cols). */
    public static final int MAX_SIDE = 4096;

    /**
     * Validates the header; see the class Javadoc for the rules.
     *
     * @throws MalformedFileException if the header describes something we do not accept
     * @throws IllegalArgumentException if {@code headerBytes} or {@code dataBytes} disagree with {@code dims}
     */
    public IdxHeader {
        dims = dims.clone();
        checkTypeAndRank(name, typeCode, dims.length);
        long bytes = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new MalformedFileException(name, "negative dimension " + dims[i] + " at index " + i);
            }
            if (i > 0 && dims[i] > MAX_SIDE) {
                throw new MalformedFileException(name, (i == 1 ? "rows " : "cols ") + dims[i]
                        + " exceeds " + MAX_SIDE);
            }
            bytes *= dims[i]; // cannot overflow: count < 2^31, rows and cols ≤ 2^12
        }
        if (bytes > Streams.MAX_PAYLOAD_BYTES) {
            throw new MalformedFileException(name, "header claims " + bytes + " bytes of data (dims "
                    + Arrays.toString(dims) + "), more than the limit " + Streams.MAX_PAYLOAD_BYTES);
        }
        if (headerBytes != 4 + 4L * dims.length || dataBytes != bytes) {
            throw new IllegalArgumentException("headerBytes " + headerBytes + " / dataBytes " + dataBytes
                    + " disagree with dims " + Arrays.toString(dims));
        }
    }

    /** @return a validated header with the derived sizes filled in */
    public static IdxHeader of(String name, int typeCode, int... dims) {
        long bytes = 1;
        for (int d : dims) {
            bytes *= Math.max(d, 0); // may overflow only if a side > MAX_SIDE, which the constructor rejects first
        }
        return new IdxHeader(name, typeCode, dims, 4 + 4L * dims.length, bytes);
    }

    /**
     * Reads only the header bytes ({@code 4 + 4 * ndims}) from {@code in} and validates them.
     * The type and rank are checked from the first four bytes before any size is read.
     *
     * @param in   a plain (already decompressed) stream, positioned at the start of the file
     * @param name the file name, for messages
     * @throws MalformedFileException "truncated header", "bad magic", a wrong type or rank, or bad sizes
     */
    public static IdxHeader read(InputStream in, String name) {
        byte[] magic = new byte[4];
        int got = Streams.readUpTo(in, magic, 0, 4, name);
        if (got == 4 && (magic[0] != 0 || magic[1] != 0)) {
            throw new MalformedFileException(name, String.format(
                    "bad magic 0x%02x%02x%02x%02x: first two bytes must be zero", magic[0], magic[1], magic[2], magic[3]));
        }
        int ndims = got == 4 ? magic[3] & 0xff : 0;
        if (got == 4) {
            checkTypeAndRank(name, magic[2] & 0xff, ndims);
        }
        byte[] sizes = new byte[4 * ndims];
        got += Streams.readUpTo(in, sizes, 0, sizes.length, name);
        if (got < 4 + sizes.length) {
            throw new MalformedFileException(name, "truncated header: expected "
                    + (got < 4 ? "at least 4" : String.valueOf(4 + sizes.length)) + " bytes, found " + got);
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            dims[i] = (sizes[4 * i] & 0xff) << 24 | (sizes[4 * i + 1] & 0xff) << 16
                    | (sizes[4 * i + 2] & 0xff) << 8 | (sizes[4 * i + 3] & 0xff);
        }
        return of(name, magic[2] & 0xff, dims);
    }

    private static void checkTypeAndRank(String name, int typeCode, int ndims) {
        if (typeCode != UNSIGNED_BYTE) {
            throw new MalformedFileException(name, String.format(
                    "type 0x%02x (%s) is not unsigned byte (0x08)", typeCode, typeName(typeCode)));
        }
        if (ndims != 1 && ndims != 3) {
            throw new MalformedFileException(name, ndims + " dimensions: only 1 (labels) or 3 (images) supported");
        }
    }

    private static String typeName(int code) {
        return switch (code) {
            case 0x09 -> "signed byte";
            case 0x0b -> "short";
            case 0x0c -> "int";
            case 0x0d -> "float";
            case 0x0e -> "double";
            default -> "unknown type";
        };
    }

    /** @return the sizes (a copy) */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** @return the first size: number of images or labels */
    public int count() {
        return dims[0];
    }

    /** @return true for a 3-D header (images), false for 1-D (labels) */
    public boolean isImages() {
        return dims.length == 3;
    }

    /** @return rows per image; only for images */
    public int rows() {
        requireImages();
        return dims[1];
    }

    /** @return cols per image; only for images */
    public int cols() {
        requireImages();
        return dims[2];
    }

    /** @return the 4-byte magic number, e.g. {@code 0x00000803} */
    public int magic() {
        return typeCode << 8 | dims.length;
    }

    private void requireImages() {
        if (!isImages()) {
            throw new IllegalStateException(name + ": a labels header has no rows or cols");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxHeader h && name.equals(h.name) && typeCode == h.typeCode && Arrays.equals(dims, h.dims);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + typeCode) + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return String.format("IdxHeader[%s, magic 0x%08x, dims %s]", name, magic(), Arrays.toString(dims));
    }
}
