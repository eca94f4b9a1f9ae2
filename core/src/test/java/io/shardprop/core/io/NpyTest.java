package io.shardprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardprop.core.data.MalformedFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    /** The fixture array {@code np.arange(12).reshape(3, 4) * 0.5 - 1.25}, in C order. */
    private static final double[] A = {-1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 4.25};

    @TempDir
    Path dir;

    private static NpyArray fixture(String file) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + file)) {
            return Npy.read(in, file);
        }
    }

    private static byte[] fixtureBytes(String file) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + file)) {
            return in.readAllBytes();
        }
    }

    private static byte[] written(int[] shape, double[] data, int offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, shape, data, offset);
        return out.toByteArray();
    }

    /** A v1.0 file with the given header dict text and payload, padded as numpy pads. */
    private static byte[] npy(String dict, int payloadBytes) {
        String h = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        return ByteBuffer.allocate(10 + h.length() + payloadBytes).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length())
                .put(h.getBytes(StandardCharsets.ISO_8859_1)).array();
    }

    private static void rejects(byte[] content, String name, String... fragments) {
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> Npy.read(new ByteArrayInputStream(content), name));
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    /** Bytes this thread allocates while running {@code action} (HotSpot), or -1 if the JVM cannot tell. */
    private static long allocatedBy(Runnable action) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported() || !mx.isThreadAllocatedMemoryEnabled()) {
            action.run();
            return -1;
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        action.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void roundTripsZeroOneAndTwoDimensionalArrays() {
        double[] data = {9, 1.5, -0.0, Double.NaN, Double.MAX_VALUE, Double.MIN_VALUE, -7e-300, 0.1};
        for (int[] shape : new int[][] {{}, {6}, {2, 3}, {3, 2}, {0, 5}, {0}}) {
            NpyArray a = Npy.read(new ByteArrayInputStream(written(shape, data, 2)), "rt.npy");
            assertArrayEquals(shape, a.shape());
            int n = (int) Npy.size(shape);
            assertArrayEquals(Arrays.copyOfRange(data, 2, 2 + n), a.data());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, 2, 3, data, 1);
        NpyArray a = Npy.read(new ByteArrayInputStream(out.toByteArray()), "rt.npy");
        assertEquals(2, a.rows());
        assertEquals(3, a.cols());
        assertEquals(Double.MIN_VALUE, a.get(1, 1));
    }

    @Test
    void writesHeaderAlignedTo64BytesAndByteIdenticalToNumpy() throws IOException {
        for (int[] shape : new int[][] {{}, {1}, {3, 4}, {785, 100}, {123456789, 0}}) {
            byte[] f = written(shape, new double[(int) Npy.size(shape)], 0);
            int headerLength = (f[8] & 0xff) | (f[9] & 0xff) << 8;
            assertEquals(0, (10 + headerLength) % 64, Arrays.toString(shape));
            assertEquals('\n', f[10 + headerLength - 1]);
        }
        assertArrayEquals(fixtureBytes("w_c.npy"), written(new int[] {3, 4}, A, 0));
        assertArrayEquals(fixtureBytes("v1d.npy"), written(new int[] {3}, new double[] {1.5, -2.0, 3.25}, 0));
        assertArrayEquals(fixtureBytes("s0d.npy"), written(new int[0], new double[] {42.5}, 0));
    }

    @Test
    void readsNumpyFixturesInEveryLayoutAndVersion() throws IOException {
        for (String file : new String[] {"w_c.npy", "w_f.npy", "w_be.npy", "w_v2.npy", "w_v3.npy"}) {
            NpyArray a = fixture(file);
            assertArrayEquals(new int[] {3, 4}, a.shape(), file);
            assertArrayEquals(A, a.data(), file);
            assertEquals(1.25, a.get(1, 1), file);
        }
        assertArrayEquals(new double[] {1.5, -2.0, 3.25}, fixture("v1d.npy").data());
        NpyArray scalar = fixture("s0d.npy");
        assertEquals(0, scalar.shape().length);
        assertArrayEquals(new double[] {42.5}, scalar.data());
    }

    @Test
    void rejectsNumpyFloat32AndObjectFixtures() throws IOException {
        rejects(fixtureBytes("w_f32.npy"), "w_f32.npy", "dtype '<f4' is not float64");
        rejects(fixtureBytes("obj.npy"), "obj.npy", "dtype '|O' is not float64", "object arrays");
    }

    @Test
    void parsesHeadersWithOtherSpacingQuotesAndKeyOrder() {
        byte[] f = npy("{ \"shape\":(2,1) ,'fortran_order':True,'descr':'<f8'}", 16);
        ByteBuffer.wrap(f, f.length - 16, 16).order(ByteOrder.LITTLE_ENDIAN).putDouble(3).putDouble(4);
        NpyArray a = Npy.read(new ByteArrayInputStream(f), "odd.npy");
        assertArrayEquals(new int[] {2, 1}, a.shape());
        assertArrayEquals(new double[] {3, 4}, a.data());
        assertArrayEquals(new int[] {2}, Npy.read(new ByteArrayInputStream(
                npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }", 16)), "py2.npy").shape());
    }

    @Test
    void rejectsBrokenFiles() {
        String ok = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        rejects("GIF89a...".getBytes(StandardCharsets.ISO_8859_1), "x.npy", "bad magic");
        rejects(Arrays.copyOf(npy(ok, 0), 9), "x.npy", "truncated header");
        rejects(Arrays.copyOf(npy(ok, 0), 40), "x.npy", "truncated header: expected 118 bytes, found 30");
        rejects(npy(ok, 47), "x.npy", "truncated: expected 48 bytes of float64 data", "found 47");
        rejects(npy(ok, 50), "x.npy", "too much data: 2 extra bytes after 48 bytes");
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 3), }", 0), "x.npy",
                "negative dimension -2 in shape (-2, 3)");
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 4), }", 192), "x.npy", "3-D shape");
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (5), }", 40), "x.npy", "shape 5 is not a tuple");
        rejects(npy("{'descr': '<f8', 'shape': (5,), }", 40), "x.npy", "header dict lacks 'fortran_order'");
        rejects(npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (5,), }", 40), "x.npy",
                "structured", "is not float64");
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (5,) ", 40), "x.npy",
                "unparsable header dict: expected ',' or '}'");
        rejects(npy("{'descr': '<f8' 'fortran_order': False}", 0), "x.npy", "unparsable header dict");
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), 'x': 1}", 40), "x.npy", "unexpected key 'x'");
        byte[] v4 = npy(ok, 48);
        v4[6] = 4;
        rejects(v4, "x.npy", "unsupported .npy version 4.0");
    }

    @Test
    void rejectsHugeHeadersAndShapesBeforeAllocating() {
        // A 2.0 header claiming 1 GiB of header text, followed by nothing.
        byte[] big = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(1 << 30).array();
        rejects(big, "big.npy", "header of 1073741824 bytes exceeds 64 KiB");
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", 8), "big.npy",
                "has more than " + Npy.MAX_ELEMENTS + " elements");
        // Within the limit (about 2 GB claimed) but only 8 bytes present: truncated, no 2 GB allocation.
        long allocated = allocatedBy(() -> rejects(
                npy("{'descr': '<f8', 'fortran_order': False, 'shape': (16384, 16383), }", 8), "big.npy",
                "truncated: expected 2147352576 bytes", "found 8"));
        assertTrue(allocated < 10_000_000, "allocated " + allocated + " bytes for an 8-byte payload");
    }

    @Test
    void rejectsDeeplyNestedHeaderWithAMessageNotAStackOverflow() {
        // Found by ReaderFuzzTest: a few thousand nested '(' (or '[' or '{'), well inside 64 KiB, overflowed the
        // recursive parser's stack before the nesting limit existed.
        for (String[] brackets : new String[][] {{"(", ",)"}, {"[", "]"}, {"{'a': ", "}"}}) {
            String nested = brackets[0].repeat(9000) + "1" + brackets[1].repeat(9000);
            String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + nested + "}";
            byte[] f = ByteBuffer.allocate(12 + dict.length() + 1).order(ByteOrder.LITTLE_ENDIAN)
                    .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(dict.length() + 1)
                    .put((dict + "\n").getBytes(StandardCharsets.ISO_8859_1)).array();
            rejects(f, "deep.npy", "unparsable header dict: containers nested deeper than 16 levels");
            rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': " + brackets[0].repeat(3000), 0),
                    "deep.npy", "nested deeper than 16 levels");
        }
        // Nesting up to the limit is parsed, and then judged on its meaning.
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': " + "(".repeat(15) + "1" + ",)".repeat(15)
                + "}", 8), "x.npy", "is not a tuple of ints");
    }

    @Test
    void rejectsEveryDtypeButFloat64() {
        for (String descr : new String[] {"'<f4'", "'>f4'", "'<f2'", "'<f16'", "'<i8'", "'<u8'", "'|u1'", "'|b1'",
            "'<c16'", "'|O'", "'<U8'", "'|S8'", "'<M8[ns]'", "'|V8'", "'=f8'", "'|f8'", "'f8'", "'float64'", "'d'",
            "[('a', '<f8')]", "[('a', '<f8', (1,))]", "('<f8', (1,))"}) {
            rejects(npy("{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }", 8), "t.npy",
                    "is not float64 ('<f8' or '>f8')");
        }
        rejects(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 8), "t.npy", "object arrays");
    }

    @Test
    void readsFortranOrderOnlyWhereItCanConvertIt() {
        ByteBuffer payload = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 6; k++) {
            payload.putDouble(k);
        }
        // 1-D and 0-D are the same in both orders; 2-D is transposed into C order.
        byte[] f1 = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (6,), }", 48);
        System.arraycopy(payload.array(), 0, f1, f1.length - 48, 48);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, Npy.read(new ByteArrayInputStream(f1), "f.npy").data());
        byte[] f0 = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (), }", 8);
        assertArrayEquals(new double[] {0}, Npy.read(new ByteArrayInputStream(f0), "f.npy").data());
        byte[] f2 = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", 48);
        System.arraycopy(payload.array(), 0, f2, f2.length - 48, 48);
        assertArrayEquals(new double[] {0, 2, 4, 1, 3, 5}, Npy.read(new ByteArrayInputStream(f2), "f.npy").data());
        // 3-D and up, in either order, and anything that is not a Python bool.
        rejects(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 2, 3), }", 48), "f.npy",
                "3-D shape (1, 2, 3) not supported");
        for (String order : new String[] {"1", "0", "'True'", "()"}) {
            rejects(npy("{'descr': '<f8', 'fortran_order': " + order + ", 'shape': (2, 3), }", 48), "f.npy",
                    "fortran_order is", "not True or False");
        }
        for (String order : new String[] {"None", "true"}) {
            rejects(npy("{'descr': '<f8', 'fortran_order': " + order + ", 'shape': (2, 3), }", 48), "f.npy",
                    "unexpected value '" + order + "'");
        }
    }

    @Test
    void rejectsPayloadsThatDisagreeWithTheShapeInEveryLayout() {
        String[] layouts = {"'<f8', 'fortran_order': False", "'<f8', 'fortran_order': True",
            "'>f8', 'fortran_order': False", "'>f8', 'fortran_order': True"};
        for (String layout : layouts) {
            String head = "{'descr': " + layout + ", 'shape': ";
            rejects(npy(head + "(2, 3), }", 40), "s.npy", "truncated: expected 48 bytes", "found 40");
            rejects(npy(head + "(2, 3), }", 56), "s.npy", "too much data: 8 extra bytes after 48 bytes");
            rejects(npy(head + "(5,), }", 39), "s.npy", "truncated: expected 40 bytes", "found 39");
            rejects(npy(head + "(5,), }", 41), "s.npy", "too much data: 1 extra bytes");
            rejects(npy(head + "(), }", 0), "s.npy", "truncated: expected 8 bytes", "found 0");
            rejects(npy(head + "(), }", 16), "s.npy", "too much data: 8 extra bytes");
            rejects(npy(head + "(0, 5), }", 8), "s.npy", "too much data: 8 extra bytes after 0 bytes");
        }
    }

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        Assumptions.assumeTrue(run("python3", "-c", "import numpy").exitCode == 0, "python3 with numpy not available");
        double[] data = {0, 0.1, -2.5e-300, Double.NaN, Double.NEGATIVE_INFINITY, 1e308, 42, -0.0};
        Path file = dir.resolve("ours.npy");
        try (OutputStream out = Files.newOutputStream(file)) {
            Npy.write(out, 2, 3, data, 2);
        }
        Result r = run("python3", "-c", "import numpy as np, sys; a = np.load(sys.argv[1]);"
                + " print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS']); print(a.tobytes().hex())", file.toString());
        assertEquals(0, r.exitCode, r.output);
        ByteBuffer expected = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(data, 2, 8).forEach(expected::putDouble);
        assertEquals("<f8 (2, 3) True\n" + HexFormat.of().formatHex(expected.array()) + "\n", r.output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + "(timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString()); // no python3 on the PATH
        }
    }
}
