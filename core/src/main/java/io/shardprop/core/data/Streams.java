package io.shardprop.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Stream helpers shared by the file readers of {@code core} (IDX here, .npy in {@code core.io}).
 *
 * <p>They never allocate from a size a header claims: payloads are read in chunks into a buffer that grows
 * only as data actually arrives, capped at the claimed size. End of input, including the
 * {@link EOFException} a truncated gzip stream throws, counts as "no more data"; other {@link IOException}s
 * become {@link UncheckedIOException} whose message starts with the file name.
 */
public final class Streams {
    /** Largest payload any reader accepts, in bytes (a little below the maximum Java array length). */
    public static final long MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 64;

    private static final int CHUNK = 1 << 16;

    private Streams() {
    }

    /**
     * Wraps {@code in} in a {@link BufferedInputStream} and, if the first two bytes are the gzip magic
     * {@code 0x1f 0x8b}, in a {@link GZIPInputStream} too. The caller need not say which it is.
     *
     * @param in   the raw stream (not closed; the returned stream reads from it)
     * @param name the file name, for messages
     * @return a stream of the plain (decompressed if needed) content
     * @throws MalformedFileException if the gzip header is corrupt or truncated
     */
    public static InputStream openMaybeGzip(InputStream in, String name) {
        BufferedInputStream buffered = new BufferedInputStream(in, CHUNK);
        try {
            return isGzip(buffered) ? new BufferedInputStream(new GZIPInputStream(buffered, CHUNK), CHUNK) : buffered;
        } catch (EOFException e) {
            throw new MalformedFileException(name, "truncated gzip header", e);
        } catch (ZipException e) {
            throw new MalformedFileException(name, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw failed(name, e);
        }
    }

    /**
     * Whether the stream starts with the gzip magic {@code 0x1f 0x8b}; reads nothing (mark and reset).
     *
     * @param in a stream that supports {@link InputStream#mark}
     */
    public static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        byte[] magic = in.readNBytes(2);
        in.reset();
        return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    }

    /**
     * Reads up to {@code len} bytes into {@code b[off..]}, stopping early only at end of input.
     *
     * @param b   the destination (modified in place)
     * @return the number of bytes read, {@code < len} only if the input ended
     * @throws MalformedFileException on corrupt gzip data
     */
    public static int readUpTo(InputStream in, byte[] b, int off, int len, String name) {
        int done = 0;
        try {
            while (done < len) {
                int r = in.read(b, off + done, len - done);
                if (r < 0) {
                    break;
                }
                done += r;
            }
        } catch (EOFException e) {
            return done; // a truncated gzip stream ends like a truncated plain file
        } catch (ZipException e) {
            throw new MalformedFileException(name, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw failed(name, e);
        }
        return done;
    }

    /**
     * Reads exactly {@code n} bytes of payload, growing the buffer only as data arrives, so a header
     * that lies about a huge size fails here instead of causing a huge allocation.
     *
     * @param n    the size the (already validated) header claims, {@code 0 ≤ n ≤ MAX_PAYLOAD_BYTES}
     * @param what what the bytes are, for messages, e.g. {@code "pixel data"}
     * @return a new array of length {@code n}
     * @throws MalformedFileException {@code "truncated: expected n bytes of what, found m"}
     */
    public static byte[] readExactly(InputStream in, long n, String name, String what) {
        if (n < 0 || n > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload size " + n + " outside [0, " + MAX_PAYLOAD_BYTES + "]");
        }
        byte[] buf = new byte[(int) Math.min(n, CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int r = readUpTo(in, buf, filled, buf.length - filled, name);
            filled += r;
            if (filled < buf.length) {
                throw new MalformedFileException(name,
                        "truncated: expected " + n + " bytes of " + what + ", found " + filled);
            }
        }
        return buf;
    }

    /**
     * Checks that {@code in} has no byte left after a payload.
     *
     * @param expected the payload size, for the message
     * @throws MalformedFileException {@code "too much data: N extra bytes after expected bytes of what"}
     */
    public static void requireEnd(InputStream in, long expected, String name, String what) {
        long extra;
        try {
            if (in.read() < 0) {
                return;
            }
            extra = 1 + in.transferTo(OutputStream.nullOutputStream());
        } catch (EOFException e) {
            // GZIPInputStream reads its trailer only here, after the payload: a cut-off trailer lands in this catch.
            throw new MalformedFileException(name, "truncated: gzip stream ends before its trailer, after "
                    + expected + " bytes of " + what, e);
        } catch (ZipException e) {
            throw new MalformedFileException(name, "corrupt gzip data after " + what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw failed(name, e);
        }
        throw new MalformedFileException(name,
                "too much data: " + extra + " extra bytes after " + expected + " bytes of " + what);
    }

    /** @return {@code e} wrapped with a message that starts with the file name */
    public static UncheckedIOException failed(String name, IOException e) {
        return new UncheckedIOException(name + ": read failed: " + e.getMessage(), e);
    }
}
