package io.shardprop.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Seeded inputs for {@link ReaderFuzzTest}: small valid IDX and .npy files ({@link #bases()}) and the mutations
 * applied to them ({@link #generate}). A case is a pure function of the run seed and its index, so a failure can
 * be replayed from those two numbers alone.
 */
final class FuzzInputs {
    /** What a base file is. */
    enum Kind { IDX, NPY }

    /**
     * A valid (or, for the two NumPy rejects, well-formed) file that mutations start from.
     *
     * @param plain the uncompressed content
     * @param gzip  whether the case gzips it, before (raw) or after (structured) mutating
     */
    record Base(String name, Kind kind, byte[] plain, boolean gzip) {
    }

    /**
     * One fuzz input.
     *
     * @param steps what was done to the base, in order, e.g. {@code [dim 0 := 0x7fffffff, gzip]}
     */
    record Case(long runSeed, int index, long caseSeed, Base base, List<String> steps, byte[] input) {
        /** @return everything needed to recognise and replay the case */
        String describe() {
            String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 96));
            return String.format("case %d (run seed 0x%x, case seed 0x%x; replay with -Dshardprop.fuzz.seed=0x%x"
                            + " -Dshardprop.fuzz.case=%d): base %s%s, steps %s, %d bytes: %s%s",
                    index, runSeed, caseSeed, runSeed, index, base.name, base.gzip ? ".gz" : "", steps,
                    input.length, hex, input.length > 96 ? "..." : "");
        }
    }

    static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final int[] INTERESTING_BYTES = {0x00, 0xff, 0x7f, 0x80, 0x01, 0x08, 0x03};
    private static final int[] INTERESTING_INTS = {0, 1, -1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
        0x10000, 4096, 4097, 0x7fffffff, 0x80000000, 1_000_000_000, 2_000_000_000, 0x7fffffc0};
    private static final int[] HUGE_DIMS = {0, 1, 28, 4096, 4097, 65536, 0x7fffffff, 0x80000000, -1, 2_000_000_000,
        1_000_000_000, 0x7fffffc0};
    private static final int[] IDX_TYPES = {0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x00, 0xff};
    private static final int[] IDX_RANKS = {0, 1, 2, 3, 4, 0x7f, 0xff};

    private static final String[] DESCRS = {"'<f8'", "'<f8'", "'<f8'", "'>f8'", "'<f4'", "'|O'", "'<i8'", "'|u1'",
        "'f8'", "'float64'", "'<c16'", "'<f8 '", "'<F8'", "[('a', '<f8')]", "('<f8', (2,))",
        "{'names': ['a'], 'formats': ['<f8']}", "None", "1", "''", "\"<f8\""};
    private static final String[] ORDERS = {"False", "False", "True", "True", "0", "1", "None", "'True'", "TRUE",
        "false", "()"};
    private static final String[] SHAPES = {"(3, 4)", "(4, 3)", "(12,)", "(2, 6)", "(1, 1)", "(5,)", "()", "(0,)",
        "(0, 5)", "(5, 0)", "(1000000000, 1000000000)", "(2147483647,)", "(2147483648,)", "(4294967296, 1)",
        "(9223372036854775807,)", "(9223372036854775808,)", "(99999999999999999999,)", "(-1,)", "(-1, -8)",
        "(3, 4, 1)", "(1, 1, 1, 1)", "[3, 4]", "(3.0, 4)", "(3, None)", "3", "(12)", "((3, 4),)", "(True, 4)",
        "(0x10,)", "(1_000,)", "(3L, 4L)", "(1000000000, 0)", "(0, 1000000000)", "(268435447,)", "(268435448,)",
        "(16384, 16383)", "(16384, 16384)", "( 3 , 4 , )", "(3,,4)", "(,)", "(-0,)", "(+3,)", "(03, 4)"};
    private static final String SYNTAX = "{}()[]:,'\"-0123456789LTrueFals \n\t\\";

    private FuzzInputs() {
    }

    /** @return the splitmix64 finaliser of {@code z}: neighbouring indices give unrelated case seeds */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** @return case {@code index} of the run with seed {@code runSeed} */
    static Case generate(List<Base> bases, long runSeed, int index) {
        long caseSeed = mix(runSeed + index * 0x9e3779b97f4a7c15L);
        SplittableRandom r = new SplittableRandom(caseSeed);
        Base base = bases.get(r.nextInt(bases.size()));
        List<String> steps = new ArrayList<>();
        byte[] b = base.plain.clone();
        boolean raw = base.gzip && r.nextBoolean();
        if (raw) {
            b = gzipMembers(b, r, steps);
        }
        int n = r.nextInt(20) < 12 ? 1 : r.nextInt(3) < 2 ? 2 : 3;
        for (int i = 0; i < n; i++) {
            b = mutate(b, base.kind, raw, r, steps);
        }
        if (raw && b.length >= 8 && r.nextInt(4) == 0) {  // the last member's trailer: CRC-32, then length
            int at = b.length - 1 - r.nextInt(8);
            int bit = r.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            steps.add("trailer @" + at + " bit " + bit);
        }
        if (base.gzip && !raw) {
            b = gzipMembers(b, r, steps);
        }
        return new Case(runSeed, index, caseSeed, base, List.copyOf(steps), b);
    }

    // ---------------------------------------------------------------------------------------------- bases

    /** @return the base files: IDX images and labels (plain and gzipped), .npy built here and made by NumPy */
    static List<Base> bases() {
        List<Base> bases = new ArrayList<>();
        byte[] pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        for (boolean gz : new boolean[] {false, true}) {
            bases.add(new Base("images-3x2x4", Kind.IDX, images(3, 2, 4, pixels), gz));
            bases.add(new Base("images-2x3x3", Kind.IDX, images(2, 3, 3, Arrays.copyOf(pixels, 18)), gz));
            bases.add(new Base("images-0x28x28", Kind.IDX, images(0, 28, 28, new byte[0]), gz));
            bases.add(new Base("labels-5", Kind.IDX, labels(new byte[] {7, 0, 9, 3, 5}), gz));
            bases.add(new Base("labels-0", Kind.IDX, labels(new byte[0]), gz));
        }
        double[] a = {-1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 4.25};
        for (int major = 1; major <= 2; major++) {
            for (boolean fortran : new boolean[] {false, true}) {
                String order = fortran ? "F" : "C";
                bases.add(npyBase("v" + major + "-" + order + "-3x4", major, "<f8", fortran, new int[] {3, 4}, a));
                bases.add(npyBase("v" + major + "-" + order + "-5", major, "<f8", fortran, new int[] {5}, a));
            }
        }
        bases.add(npyBase("v1-C-be-2x3", 1, ">f8", false, new int[] {2, 3}, a));
        bases.add(npyBase("v1-F-be-4x2", 1, ">f8", true, new int[] {4, 2}, a));
        bases.add(npyBase("v3-C-2x2", 3, "<f8", false, new int[] {2, 2}, a));
        bases.add(npyBase("v1-scalar", 1, "<f8", false, new int[0], a));
        bases.add(npyBase("v2-empty-0x5", 2, "<f8", true, new int[] {0, 5}, a));
        for (String f : new String[] {"w_c", "w_f", "w_be", "w_v2", "w_v3", "v1d", "s0d", "w_f32", "obj"}) {
            bases.add(new Base("numpy-" + f, Kind.NPY, resource("/npy/" + f + ".npy"), false));
        }
        return List.copyOf(bases);
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.writeImages(out, count, rows, cols, pixels);
        return out.toByteArray();
    }

    static byte[] labels(byte[] labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.writeLabels(out, labels);
        return out.toByteArray();
    }

    private static Base npyBase(String name, int major, String descr, boolean fortran, int[] shape, double[] data) {
        int n = shape.length == 0 ? 1 : Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        int rows = shape.length == 2 ? shape[0] : n;
        int cols = shape.length == 2 ? shape[1] : 1;
        ByteBuffer payload = ByteBuffer.allocate(8 * n)
                .order(descr.startsWith("<") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        for (int k = 0; k < n; k++) {
            int i = fortran ? k % rows : k / cols; // element k of the file, in file order
            int j = fortran ? k / rows : k % cols;
            payload.putDouble(data[i * cols + j]);
        }
        String dims = shape.length == 0 ? "()" : shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + shape[0] + ", " + shape[1] + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + dims + ", }";
        return new Base(name, Kind.NPY, npy(major, dict, true, payload.array()), false);
    }

    /**
     * @param pad whether to pad the dict with spaces and a newline as NumPy does (to a multiple of 64)
     * @return a .npy file: magic, version {@code major}.0, header length, header, payload
     */
    static byte[] npy(int major, String dict, boolean pad, byte[] payload) {
        Charset cs = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        int prefix = major == 1 ? 10 : 12;
        String h = dict;
        if (pad) {
            int total = prefix + h.getBytes(cs).length + 1;
            h += " ".repeat((64 - total % 64) % 64) + "\n";
        }
        byte[] hb = h.getBytes(cs);
        ByteBuffer out = ByteBuffer.allocate(prefix + hb.length + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(NPY_MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) hb.length);
        } else {
            out.putInt(hb.length);
        }
        return out.put(hb).put(payload).array();
    }

    private static byte[] resource(String path) {
        try (InputStream in = FuzzInputs.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code plain} gzipped as one member, or (one case in three) as 2–3 members split at random points. */
    static byte[] gzipMembers(byte[] plain, SplittableRandom r, List<String> steps) {
        int members = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
        if (members == 1 || plain.length < members) {
            steps.add("gzip");
            return gzip(plain);
        }
        int[] cuts = r.ints(members - 1, 1, plain.length).sorted().toArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : plain.length;
            out.writeBytes(gzip(Arrays.copyOfRange(plain, from, to)));
            from = to;
        }
        steps.add("gzip as members cut at " + Arrays.toString(cuts));
        return out.toByteArray();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Where the header dict of a .npy file sits, if its prefix is intact enough to tell.
     *
     * @param prefix       bytes before the dict: 10 for version 1, 12 for versions 2 and 3
     * @param headerLength the header length field
     */
    record NpyLayout(int major, int prefix, long headerLength) {
        /** @return the layout, or null if {@code b} has no .npy magic, a version outside 1–3 or is too short */
        static NpyLayout of(byte[] b) {
            if (b.length < 10 || !Arrays.equals(b, 0, 6, NPY_MAGIC, 0, 6) || b[6] < 1 || b[6] > 3) {
                return null;
            }
            int major = b[6];
            int prefix = major == 1 ? 10 : 12;
            if (b.length < prefix) {
                return null;
            }
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long length = major == 1 ? bb.getShort(8) & 0xffff : bb.getInt(8) & 0xffffffffL;
            return prefix + length <= b.length ? new NpyLayout(major, prefix, length) : null;
        }

        int end() {
            return (int) (prefix + headerLength);
        }

        String text(byte[] b) {
            return new String(b, prefix, (int) headerLength, charset());
        }

        Charset charset() {
            return major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        }
    }

    // ---------------------------------------------------------------------------------------------- mutations

    private static byte[] mutate(byte[] b, Kind kind, boolean compressed, SplittableRandom r, List<String> steps) {
        if (!compressed && r.nextInt(10) < 4) {
            byte[] m = kind == Kind.IDX ? mutateIdx(b, r, steps) : mutateNpy(b, r, steps);
            if (m != null) {
                return m;
            }
        }
        return mutateBytes(b, headerEnd(b, kind, compressed), r, steps);
    }

    /** @return where the header ends, so that mutations can favour it (compressed: the gzip header) */
    private static int headerEnd(byte[] b, Kind kind, boolean compressed) {
        if (compressed) {
            return Math.min(b.length, 10);
        }
        if (kind == Kind.IDX) {
            return Math.min(b.length, b.length >= 4 ? 4 + 4 * (b[3] & 0xff) : 4);
        }
        NpyLayout l = NpyLayout.of(b);
        return Math.min(b.length, l == null ? 128 : l.end());
    }

    /** @return a position in {@code b}, half of the time inside the header */
    private static int pick(byte[] b, int hot, SplittableRandom r) {
        return hot > 0 && r.nextBoolean() ? r.nextInt(hot) : r.nextInt(b.length);
    }

    /** Format-blind mutations: bit flips, boundary values, truncation, insertion, deletion, duplication. */
    private static byte[] mutateBytes(byte[] b, int hot, SplittableRandom r, List<String> steps) {
        int op = b.length == 0 ? 4 + r.nextInt(2) * 3 : r.nextInt(8);
        switch (op) {
            case 0 -> {
                b = b.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    int pos = pick(b, hot, r);
                    int bit = r.nextInt(8);
                    b[pos] ^= (byte) (1 << bit);
                    steps.add("flip bit " + bit + " @" + pos);
                }
            }
            case 1 -> {
                b = b.clone();
                int pos = pick(b, hot, r);
                int v = INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
                b[pos] = (byte) v;
                steps.add(String.format("byte @%d := 0x%02x", pos, v));
            }
            case 2 -> {
                if (b.length < 4) {
                    return mutateBytes(b, hot, r, steps);
                }
                b = b.clone();
                int pos = r.nextBoolean() ? Math.min(4 * r.nextInt(hot / 4 + 1), b.length - 4) // aligned, in the header
                        : r.nextInt(b.length - 3);
                int v = INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
                boolean big = r.nextBoolean();
                ByteBuffer.wrap(b).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).putInt(pos, v);
                steps.add(String.format("int32 %s @%d := 0x%x", big ? "BE" : "LE", pos, v));
            }
            case 3 -> {
                int[] classes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, hot - 1, hot, hot + 1,
                    b.length / 2, b.length - 9, b.length - 8, b.length - 4, b.length - 1};
                int len = r.nextInt(4) == 0 ? r.nextInt(b.length) : classes[r.nextInt(classes.length)];
                len = Math.max(0, Math.min(len, b.length - 1));
                steps.add("truncate to " + len);
                return Arrays.copyOf(b, len);
            }
            case 4 -> {
                int pos = r.nextInt(b.length + 1);
                byte[] ins = randomBytes(r, 1 + r.nextInt(r.nextBoolean() ? 4 : 32));
                steps.add("insert " + ins.length + " bytes @" + pos);
                return splice(b, pos, 0, ins);
            }
            case 5 -> {
                int pos = pick(b, hot, r);
                int len = Math.min(b.length - pos, 1 + r.nextInt(r.nextBoolean() ? 4 : 32));
                steps.add("delete " + len + " bytes @" + pos);
                return splice(b, pos, len, new byte[0]);
            }
            case 6 -> {
                int from = r.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + r.nextInt(64));
                int to = r.nextInt(b.length + 1);
                steps.add("copy " + len + " bytes @" + from + " to @" + to);
                return splice(b, to, 0, Arrays.copyOfRange(b, from, from + len));
            }
            default -> {
                byte[] tail = randomBytes(r, 1 + r.nextInt(r.nextBoolean() ? 8 : 256));
                steps.add("append " + tail.length + " bytes");
                return splice(b, b.length, 0, tail);
            }
        }
        return b;
    }

    /** IDX-aware mutations on plain content: dims, magic, count, labels, rank, payload size. */
    private static byte[] mutateIdx(byte[] b, SplittableRandom r, List<String> steps) {
        if (b.length < 4) {
            return null;
        }
        int ndims = b[3] & 0xff;
        int dimsPresent = Math.min(ndims, (b.length - 4) / 4);
        int dataStart = 4 + 4 * dimsPresent;
        ByteBuffer bb = ByteBuffer.wrap(b = b.clone());
        switch (r.nextInt(6)) {
            case 0 -> {
                if (dimsPresent == 0) {
                    return null;
                }
                int k = r.nextInt(dimsPresent);
                int v = HUGE_DIMS[r.nextInt(HUGE_DIMS.length)];
                bb.putInt(4 + 4 * k, v);
                steps.add(String.format("dim %d := 0x%x", k, v));
            }
            case 1 -> {
                int at = r.nextInt(4);
                int v = at == 2 ? IDX_TYPES[r.nextInt(IDX_TYPES.length)]
                        : at == 3 ? IDX_RANKS[r.nextInt(IDX_RANKS.length)] : 1 + r.nextInt(255);
                b[at] = (byte) v;
                steps.add(String.format("magic byte %d := 0x%02x", at, v));
            }
            case 2 -> {
                if (dimsPresent == 0) {
                    return null;
                }
                int count = bb.getInt(4);
                int[] changed = {count - 1, count + 1, count * 2, count + 1000};
                int v = changed[r.nextInt(changed.length)];
                bb.putInt(4, v);
                steps.add("count " + count + " := " + v);
            }
            case 3 -> {
                if (dataStart >= b.length) {
                    return null;
                }
                int pos = dataStart + r.nextInt(b.length - dataStart);
                int v = 10 + r.nextInt(246);
                b[pos] = (byte) v;
                steps.add("payload byte @" + pos + " := " + v);
            }
            case 4 -> {
                if (ndims == 1 && dimsPresent == 1) {
                    int[] sides = {1, 2, 28, 4096, 4097};
                    int rows = sides[r.nextInt(sides.length)];
                    int cols = sides[r.nextInt(sides.length)];
                    b[3] = 3;
                    steps.add("labels header -> images header with " + rows + " x " + cols);
                    return splice(b, 8, 0, ByteBuffer.allocate(8).putInt(rows).putInt(cols).array());
                }
                if (ndims == 3 && dimsPresent == 3) {
                    b[3] = 1;
                    steps.add("images header -> labels header");
                    return splice(b, 8, 8, new byte[0]);
                }
                return null;
            }
            default -> {
                int[] deltas = {-16, -9, -8, -1, 1, 7, 8, 16, 784};
                int d = Math.max(deltas[r.nextInt(deltas.length)], dataStart - b.length);
                steps.add("payload size " + (d >= 0 ? "+" : "") + d);
                return d >= 0 ? splice(b, b.length, 0, new byte[d]) : Arrays.copyOf(b, b.length + d);
            }
        }
        return b;
    }

    /**
     * .npy-aware mutations on an intact prefix: rebuilt, garbled, nested or duplicated dicts; lying header length
     * fields; headers padded to about 64 KiB; other versions; payloads of the wrong size.
     */
    private static byte[] mutateNpy(byte[] b, SplittableRandom r, List<String> steps) {
        NpyLayout l = NpyLayout.of(b);
        if (l == null) {
            return null;
        }
        String text = l.text(b);
        byte[] payload = Arrays.copyOfRange(b, l.end(), b.length);
        switch (r.nextInt(9)) {
            case 0 -> {
                return rebuildDict(l.major, payload, r, steps);
            }
            case 1 -> {
                char[] t = text.toCharArray();
                int k = 1 + r.nextInt(4);
                for (int i = 0; i < k && t.length > 0; i++) {
                    int pos = r.nextInt(Math.min(t.length, 80));
                    t[pos] = r.nextInt(4) == 0 ? (char) r.nextInt(256) : SYNTAX.charAt(r.nextInt(SYNTAX.length()));
                }
                steps.add("garble " + k + " chars of the dict: " + String.valueOf(t).strip());
                return npy(l.major, String.valueOf(t), false, payload);
            }
            case 2 -> {
                int[] depths = {4, 16, 64, 512, 4096, 16000, 21000};
                int depth = depths[r.nextInt(depths.length)];
                char open = "([{".charAt(r.nextInt(3));
                boolean closed = r.nextBoolean();
                String nested = nest(open, depth, closed);
                boolean inShape = r.nextBoolean();
                String dict = "{'descr': " + (inShape ? "'<f8'" : nested) + ", 'fortran_order': False, 'shape': "
                        + (inShape ? nested : "(3,)") + "}";
                steps.add("nest " + depth + " x '" + open + "' in " + (inShape ? "shape" : "descr")
                        + (closed ? "" : ", unclosed"));
                return npy(l.major, dict, true, payload);
            }
            case 3 -> {
                long[] lengths = {0, 1, 9, l.headerLength - 1, l.headerLength + 1, l.headerLength + 8, 65534, 65535,
                    65536, 65537, 0x7fffffffL, 0x80000000L, 0xffffffffL};
                long v = lengths[r.nextInt(lengths.length)];
                b = b.clone();
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                if (l.major == 1) {
                    bb.putShort(8, (short) v);
                } else {
                    bb.putInt(8, (int) v);
                }
                steps.add("header length " + l.headerLength + " := " + (l.major == 1 ? v & 0xffff : v));
                return b;
            }
            case 4 -> {
                int[] targets = {65472, 65534, 65535, 65536, 65537, 70000};
                int target = targets[r.nextInt(targets.length)];
                String dict = text.stripTrailing();
                int major = target > 65535 ? Math.max(2, l.major) : l.major;
                String padded = dict + " ".repeat(Math.max(0, target - 1 - dict.length())) + "\n";
                steps.add("pad header to " + padded.length() + " bytes, version " + major);
                return npy(major, padded, false, payload);
            }
            case 5 -> {
                b = b.clone();
                boolean minor = r.nextInt(3) == 0;
                int[] values = minor ? new int[] {1, 0xff} : new int[] {0, 1, 2, 3, 4, 0xff};
                int v = values[r.nextInt(values.length)];
                b[minor ? 7 : 6] = (byte) v;
                steps.add((minor ? "minor" : "major") + " version byte := " + v);
                return b;
            }
            case 6 -> {
                int major = 1 + r.nextInt(3);
                boolean pad = r.nextBoolean();
                steps.add("relayout as version " + major + (pad ? ", repadded" : ""));
                return npy(major, pad ? text.strip() : text, pad, payload);
            }
            case 7 -> {
                int[] deltas = {-16, -8, -1, 1, 7, 8, 64};
                int d = Math.max(deltas[r.nextInt(deltas.length)], -payload.length);
                steps.add("payload size " + (d >= 0 ? "+" : "") + d);
                return npy(l.major, text, false, Arrays.copyOf(payload, payload.length + d));
            }
            default -> {
                String dict = text.strip();
                String dup;
                if (r.nextBoolean() || dict.isEmpty()) {
                    dup = dict + (r.nextBoolean() ? "" : " ") + dict;
                    steps.add("dict written twice");
                } else {
                    int from = r.nextInt(dict.length());
                    int to = Math.min(dict.length(), from + 1 + r.nextInt(40));
                    int at = r.nextInt(dict.length() + 1);
                    dup = dict.substring(0, at) + dict.substring(from, to) + dict.substring(at);
                    steps.add("dict chars " + from + ".." + to + " copied to " + at);
                }
                return npy(l.major, dup, r.nextBoolean(), payload);
            }
        }
    }

    /** A fresh dict from odd and huge values, keys dropped, repeated or added, in any order and spacing. */
    private static byte[] rebuildDict(int major, byte[] payload, SplittableRandom r, List<String> steps) {
        String descr = DESCRS[r.nextInt(DESCRS.length)];
        String order = ORDERS[r.nextInt(ORDERS.length)];
        String shape = SHAPES[r.nextInt(SHAPES.length)];
        List<String[]> entries = new ArrayList<>(List.of(
                new String[] {"descr", descr}, new String[] {"fortran_order", order}, new String[] {"shape", shape}));
        switch (r.nextInt(8)) {
            case 0 -> entries.remove(r.nextInt(entries.size()));
            case 1 -> entries.add(entries.get(r.nextInt(entries.size())));
            case 2 -> entries.add(new String[] {r.nextBoolean() ? "x" : "descr ", "1"});
            default -> {
            }
        }
        if (r.nextBoolean()) {
            Collections.shuffle(entries, new java.util.Random(r.nextLong()));
        }
        String q = r.nextInt(4) == 0 ? "\"" : "'";
        String[] seps = {", ", ",", " , ", ",\n"};
        String[] colons = {": ", ":", " : "};
        String sep = seps[r.nextInt(seps.length)];
        String colon = colons[r.nextInt(colons.length)];
        StringBuilder d = new StringBuilder("{");
        for (int i = 0; i < entries.size(); i++) {
            d.append(i > 0 ? sep : "").append(q).append(entries.get(i)[0]).append(q).append(colon)
                    .append(entries.get(i)[1]);
        }
        d.append(r.nextBoolean() ? ", }" : "}");
        if (r.nextInt(10) == 0) {
            String[] junk = {" x", "}", "{}", ",", " # c", "\u0000"};
            d.append(junk[r.nextInt(junk.length)]);
        }
        long n = smallProduct(shape);
        if (n >= 0 && r.nextInt(4) != 0) {
            payload = randomDoubles(r, (int) n);
        }
        boolean pad = r.nextInt(5) != 0;
        steps.add("dict := " + d + " with " + payload.length + " payload bytes" + (pad ? "" : ", unpadded"));
        return npy(major, d.toString(), pad, payload);
    }

    /** @return the element count of a small literal shape such as {@code (3, 4)} or {@code ()}, else -1 */
    private static long smallProduct(String shape) {
        if (!shape.matches("\\(\\s*(\\d{1,6}\\s*,\\s*)*(\\d{1,6}\\s*)?\\)")) {
            return -1;
        }
        long n = 1;
        for (String s : shape.substring(1, shape.length() - 1).split(",")) {
            n *= s.isBlank() ? 1 : Long.parseLong(s.strip());
        }
        return n <= 64 ? n : -1;
    }

    private static String nest(char open, int depth, boolean closed) {
        String close = switch (open) {
            case '(' -> ",)";
            case '[' -> "]";
            default -> "}";
        };
        String opening = open == '{' ? "{'a': " : String.valueOf(open);
        return opening.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
    }

    private static byte[] randomDoubles(SplittableRandom r, int n) {
        ByteBuffer bb = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bb.putDouble(r.nextInt(8) == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextDouble(-1e6, 1e6));
        }
        return bb.array();
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextBoolean() ? INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)] : r.nextInt(256));
        }
        return b;
    }

    /** @return {@code b} with {@code len} bytes at {@code pos} replaced by {@code ins} */
    static byte[] splice(byte[] b, int pos, int len, byte[] ins) {
        byte[] out = new byte[b.length - len + ins.length];
        System.arraycopy(b, 0, out, 0, pos);
        System.arraycopy(ins, 0, out, pos, ins.length);
        System.arraycopy(b, pos + len, out, pos + ins.length, b.length - pos - len);
        return out;
    }
}
