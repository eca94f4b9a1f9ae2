package io.shardprop.core.io;

import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.data.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads and writes float64 arrays in NumPy's .npy format.
 *
 * <p>Format: the magic {@code \x93NUMPY}, a major and minor version byte (1.0, 2.0 or 3.0), the header
 * length as a little-endian uint16 (1.0) or uint32 (2.0, 3.0), the header (Latin-1, UTF-8 for 3.0): a
 * Python dict literal with {@code descr}, {@code fortran_order} and {@code shape} (see {@link NpyHeader}),
 * padded with spaces and ended by {@code '\n'}; then the raw elements.
 *
 * <p>Accepted: dtype {@code '<f8'} or {@code '>f8'} (byte-swapped), C or Fortran order (converted to C),
 * 0-, 1- and 2-D shapes. Everything else, including object arrays, a header over 64 KiB, and a payload
 * whose size disagrees with the shape, throws {@link MalformedFileException} naming the file and the
 * problem. The payload is read incrementally, never allocated from the header's claim. Streams are not closed.
 */
public final class Npy {
    /** Most elements an array may have, so that its bytes fit a Java array: {@code (2^31 - 1 - 64) / 8}. */
    public static final long MAX_ELEMENTS = Streams.MAX_PAYLOAD_BYTES / 8;
    /** Longest header accepted, in bytes. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21; // numpy leaves room to grow the first axis in place

    private Npy() {
    }

    /**
     * Reads a float64 array from a .npy file.
     *
     * @param in   the file content (read to the end, not closed)
     * @param name the file name, for messages
     * @return the array in C order
     * @throws MalformedFileException if the file is not an acceptable .npy (see class Javadoc)
     */
    public static NpyArray read(InputStream in, String name) {
        byte[] pre = new byte[12];
        int got = Streams.readUpTo(in, pre, 0, 8, name);
        if (!Arrays.equals(pre, 0, Math.min(got, 6), MAGIC, 0, Math.min(got, 6))) {
            throw new MalformedFileException(name, "bad magic: not a .npy file");
        }
        int major = pre[6] & 0xff;
        if (got == 8 && (pre[7] != 0 || major < 1 || major > 3)) {
            throw new MalformedFileException(name, "unsupported .npy version " + major + "." + (pre[7] & 0xff));
        }
        int lengthBytes = major == 1 ? 2 : 4;
        got += Streams.readUpTo(in, pre, 8, lengthBytes, name);
        if (got < 8 + lengthBytes) {
            throw new MalformedFileException(name, "truncated header: found only " + got + " bytes");
        }
        long headerLength = ByteBuffer.wrap(pre, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        headerLength = major == 1 ? headerLength & 0xffff : headerLength;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new MalformedFileException(name, "header of " + headerLength + " bytes exceeds 64 KiB");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        int hgot = Streams.readUpTo(in, headerBytes, 0, headerBytes.length, name);
        if (hgot < headerLength) {
            throw new MalformedFileException(name, "truncated header: expected " + headerLength + " bytes, found " + hgot);
        }
        String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader h = NpyHeader.parse(text, name);

        long bytes = 8 * size(h.shape());
        byte[] payload = Streams.readExactly(in, bytes, name, "float64 data for shape " + Arrays.toString(h.shape()));
        Streams.requireEnd(in, bytes, name, "float64 data");
        double[] data = new double[payload.length / 8];
        ByteBuffer.wrap(payload).order(h.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                .asDoubleBuffer().get(data);
        int[] shape = h.shape();
        if (h.fortranOrder() && shape.length == 2) {
            data = toRowMajor(data, shape[0], shape[1]);
        }
        return new NpyArray(shape, data);
    }

    /** @return {@code c} with {@code c[i * cols + j] = f[i + j * rows]} */
    private static double[] toRowMajor(double[] f, int rows, int cols) {
        double[] c = new double[f.length];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                c[i * cols + j] = f[i + j * rows];
            }
        }
        return c;
    }

    /**
     * Writes a 2-D array; same as {@code write(out, new int[] {rows, cols}, data, offset)}.
     */
    public static void write(OutputStream out, int rows, int cols, double[] data, int offset) {
        write(out, new int[] {rows, cols}, data, offset);
    }

    /**
     * Writes {@code data[offset .. offset + product(shape))} as a .npy version 1.0 file, dtype {@code '<f8'},
     * C order, with the header numpy itself writes: padded with spaces and ended by {@code '\n'} so that
     * {@code 10 + header length} is a multiple of 64. {@code out} is flushed, not closed.
     *
     * @param shape  0 to 2 non-negative sizes (not modified)
     * @param data   the elements in C order (not modified)
     * @param offset index of the first element to write
     * @throws IllegalArgumentException for a bad shape or if the elements do not fit in {@code data}
     * @throws UncheckedIOException if writing fails
     */
    public static void write(OutputStream out, int[] shape, double[] data, int offset) {
        long count = size(shape);
        if (shape.length > 2 || count > MAX_ELEMENTS || offset < 0 || offset + count > data.length) {
            throw new IllegalArgumentException("cannot write shape " + Arrays.toString(shape) + " from offset "
                    + offset + " of " + data.length + " elements (0- to 2-D, at most " + MAX_ELEMENTS + " elements)");
        }
        try {
            out.write(header(shape));
            ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; ) {
                buf.clear();
                for (; i < count && buf.hasRemaining(); i++) {
                    buf.putDouble(data[offset + i]);
                }
                out.write(buf.array(), 0, buf.position());
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing .npy of shape " + Arrays.toString(shape) + " failed: " + e.getMessage(), e);
        }
    }

    /** @return magic, version 1.0, header length and the padded header, as numpy writes them */
    private static byte[] header(int[] shape) {
        String dims = shape.length == 0 ? "()" : shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + shape[0] + ", " + shape[1] + ")";
        StringBuilder h = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + dims + ", }");
        if (shape.length > 0) {
            h.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape[0]).length()));
        }
        h.append(" ".repeat(ALIGN - (MAGIC.length + 4 + h.length() + 1) % ALIGN)).append('\n');
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    /**
     * @return the product of {@code shape} (1 for a scalar)
     * @throws IllegalArgumentException if a size is negative
     */
    static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n *= d; // at most 2 sizes < 2^31 in practice; callers bound the result
        }
        return n;
    }
}
