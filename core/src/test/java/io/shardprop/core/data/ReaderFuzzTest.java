package io.shardprop.core.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardprop.core.data.FuzzInputs.Base;
import io.shardprop.core.data.FuzzInputs.Case;
import io.shardprop.core.data.FuzzInputs.Kind;
import io.shardprop.core.data.FuzzInputs.NpyLayout;
import io.shardprop.core.io.Npy;
import io.shardprop.core.io.NpyArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the file readers of {@code core}: {@link Idx#readImages}, {@link Idx#readLabels}, {@link Npy#read} and
 * {@link Idx#verify} (which decompresses a gzipped file to its end, checking every member's trailer).
 *
 * <p>Each case starts from a small valid file ({@link FuzzInputs#bases()}: IDX images and labels, plain and
 * gzipped; .npy versions 1–3, C and Fortran order, 0-, 1- and 2-D, some written by NumPy) and applies one to
 * three seeded mutations: bit flips, boundary bytes and ints, truncations, insertions, deletions, copies, and
 * format-aware edits (huge IDX dims, other magic; .npy dicts rebuilt from odd or huge values, garbled, deeply
 * nested or written twice, lying header lengths, headers padded to 64 KiB, other versions). Every reader gets
 * every input and must either
 * <ul>
 *   <li>return a result that agrees with an independent decoding of the input (sizes and bytes), or</li>
 *   <li>throw {@link MalformedFileException} whose message is the file name, {@code ": "} and a problem,</li>
 * </ul>
 * never any other exception or error, never allocate more than {@value #MAX_ALLOCATED_MB} MB, never hang.
 *
 * <p>Cases are a pure function of the run seed and their index. Run another seed with
 * {@code -Dshardprop.fuzz.seed=0x…}, more cases with {@code -Dshardprop.fuzz.cases=N}, and replay one reported
 * case with {@code -Dshardprop.fuzz.seed=S -Dshardprop.fuzz.case=I}.
 */
class ReaderFuzzTest {
    private static final long SEED = Long.decode(System.getProperty("shardprop.fuzz.seed", "0x5eedf022"));
    private static final int CASES = Integer.getInteger("shardprop.fuzz.cases", 20_000);
    private static final int ONLY_CASE = Integer.getInteger("shardprop.fuzz.case", -1);
    private static final int MAX_ALLOCATED_MB = 64;
    /** For a whole test: far above the few seconds a run takes, so only a hang reaches it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60).plusMillis(5L * CASES);
    private static final int MAX_REPORTED = 20;

    private static final List<Base> BASES = FuzzInputs.bases();
    private static final List<Reader> READERS = List.of(
            new Reader("readImages", "fuzz-images-idx3-ubyte",
                    (in, name) -> Idx.readImages(in, name), (r, input) -> checkImages((IdxImages) r, input)),
            new Reader("readLabels", "fuzz-labels-idx1-ubyte",
                    (in, name) -> Idx.readLabels(in, name), (r, input) -> checkLabels((byte[]) r, input)),
            new Reader("Npy.read", "fuzz.npy",
                    (in, name) -> Npy.read(in, name), (r, input) -> checkNpy((NpyArray) r, input)),
            new Reader("verify", "fuzz-idx-ubyte",
                    (in, name) -> Idx.verify(in, name), (r, input) -> checkVerified((IdxHeader) r, input)));

    /**
     * A reader under test.
     *
     * @param check given the result and the input, returns what is inconsistent, or null
     */
    private record Reader(String label, String fileName, BiFunction<InputStream, String, Object> read,
                          BiFunction<Object, byte[], String> check) {
    }

    /** Per-reader tallies, for the summary line. */
    private static final class Tally {
        int parsed;
        int rejected;
        long nanos;
    }

    /** Runs inputs against every reader, collecting problems and tallies. */
    private static final class Run {
        final Map<String, Tally> tallies = new LinkedHashMap<>();
        /** First example of each kind of problem (reader and first line of the problem, digits dropped). */
        final Map<String, String> examples = new LinkedHashMap<>();
        final Map<String, Integer> counts = new LinkedHashMap<>();
        int failed;
        long maxAllocated;
        long maxNanos;
        volatile Supplier<String> current = () -> "nothing yet";

        /** Feeds {@code input} to every reader; {@code what} describes it in any report. */
        void feed(byte[] input, Supplier<String> what) {
            feed(input, what, READERS);
        }

        void feed(byte[] input, Supplier<String> what, List<Reader> readers) {
            for (Reader reader : readers) {
                String problem = run(reader, input);
                if (problem != null) {
                    failed++;
                    String kind = reader.label + " " + problem.lines().findFirst().orElse("").replaceAll("\\d+", "N");
                    counts.merge(kind, 1, Integer::sum);
                    if (examples.size() < MAX_REPORTED) {
                        examples.putIfAbsent(kind, reader.label + " on " + what.get() + ":\n    " + problem);
                    }
                }
            }
        }

        private String run(Reader reader, byte[] input) {
            Object result = null;
            Throwable thrown = null;
            long before = allocatedBytes();
            long start = System.nanoTime();
            try {
                result = reader.read.apply(new ByteArrayInputStream(input), reader.fileName);
            } catch (Throwable t) { // the point of the test: anything but our exception is a finding
                thrown = t;
            }
            long nanos = System.nanoTime() - start;
            long allocated = allocatedBytes() - before;
            maxAllocated = Math.max(maxAllocated, allocated);
            maxNanos = Math.max(maxNanos, nanos);
            Tally t = tallies.computeIfAbsent(reader.label, k -> new Tally());
            t.nanos += nanos;
            if (thrown == null) {
                t.parsed++;
            } else {
                t.rejected++;
            }
            if (allocated > (long) MAX_ALLOCATED_MB << 20) {
                return "allocated " + allocated + " bytes (limit " + MAX_ALLOCATED_MB + " MB)";
            }
            return thrown == null ? reader.check.apply(result, input) : checkThrown(thrown, reader.fileName);
        }

        String summary(int inputs, long nanos) {
            String perReader = tallies.entrySet().stream()
                    .map(e -> String.format("%s %d parsed / %d rejected in %.1f s", e.getKey(), e.getValue().parsed,
                            e.getValue().rejected, e.getValue().nanos / 1e9))
                    .collect(Collectors.joining(", "));
            return String.format("%d inputs in %.1f s (%s); max %d KB allocated and %.1f ms for one read",
                    inputs, nanos / 1e9, perReader, maxAllocated >> 10, maxNanos / 1e6);
        }

        void assertClean(int inputs) {
            String kinds = counts.entrySet().stream().map(e -> "  " + e.getValue() + " x " + e.getKey())
                    .collect(Collectors.joining("\n"));
            assertTrue(failed == 0, failed + " bad outcomes in " + inputs + " inputs x " + READERS.size()
                    + " readers, by kind:\n" + kinds + "\nfirst example of each kind:\n"
                    + String.join("\n", examples.values()));
        }
    }

    @Test
    void mutatedFilesParseConsistentlyOrAreRejectedWithOurException() {
        int first = ONLY_CASE >= 0 ? ONLY_CASE : 0;
        int end = ONLY_CASE >= 0 ? ONLY_CASE + 1 : CASES;
        Run run = new Run();
        long start = System.nanoTime();
        assertTimeoutPreemptively(TIMEOUT, () -> {
            for (int i = first; i < end; i++) {
                Case c = FuzzInputs.generate(BASES, SEED, i);
                run.current = c::describe;
                run.feed(c.input(), c::describe);
            }
        }, () -> "hung on " + run.current.get());
        System.out.println("ReaderFuzzTest seed 0x" + Long.toHexString(SEED) + ": "
                + run.summary(end - first, System.nanoTime() - start));
        run.assertClean(end - first);
        if (ONLY_CASE < 0) { // guards the fuzzer itself: mutations must still get past the headers now and then
            run.tallies.forEach((reader, t) -> assertTrue(t.parsed >= CASES / 200,
                    reader + " parsed only " + t.parsed + " of " + CASES + " inputs: the mutations are too blunt"));
        }
    }

    @Test
    void everyTruncationOfEveryBaseIsRejected() {
        Run run = new Run();
        int[] inputs = {0};
        long start = System.nanoTime();
        assertTimeoutPreemptively(TIMEOUT, () -> {
            for (Base base : BASES) {
                byte[] whole = base.gzip() ? FuzzInputs.gzip(base.plain()) : base.plain();
                for (int len = 0; len < whole.length; len++) {
                    byte[] cut = Arrays.copyOf(whole, len);
                    int cutAt = len;
                    Supplier<String> what = () -> "base " + base.name() + (base.gzip() ? ".gz" : "")
                            + " truncated to " + cutAt;
                    run.current = what;
                    run.feed(cut, what);
                    inputs[0]++;
                }
            }
        }, () -> "hung on " + run.current.get());
        System.out.println(run.summary(inputs[0], System.nanoTime() - start));
        run.assertClean(inputs[0]);
        run.tallies.forEach((reader, t) ->
                assertTrue(t.parsed == 0, reader + " parsed " + t.parsed + " truncated files"));
    }

    @Test
    void everyHeaderByteOverwriteParsesConsistentlyOrIsRejected() {
        Run run = new Run();
        int[] inputs = {0};
        long start = System.nanoTime();
        int[] values = {0x00, 0xff, 0x7f, 0x80};
        assertTimeoutPreemptively(TIMEOUT, () -> {
            for (Base base : BASES) {
                byte[] plain = base.plain();
                NpyLayout l = base.kind() == Kind.NPY ? NpyLayout.of(plain) : null;
                int header = base.kind() == Kind.IDX ? 4 + 4 * plain[3] : l.end();
                Reader own = READERS.get(base.kind() == Kind.NPY ? 2 : plain[3] == 3 ? 0 : 1);
                for (int pos = 0; pos < Math.min(plain.length, header + 8); pos++) {
                    // every bit of the binary prefix (magic, version, length, IDX dims); boundary values elsewhere
                    int variants = values.length + (pos < 16 ? 8 : 0);
                    for (int k = 0; k < variants; k++) {
                        byte[] b = plain.clone();
                        b[pos] = (byte) (k < values.length ? values[k] : b[pos] ^ (1 << (k - values.length)));
                        int at = pos;
                        Supplier<String> what = () -> String.format("base %s%s with byte @%d := 0x%02x",
                                base.name(), base.gzip() ? ".gz" : "", at, b[at]);
                        run.current = what;
                        run.feed(base.gzip() ? FuzzInputs.gzip(b) : b, what, List.of(own));
                        inputs[0]++;
                    }
                }
            }
        }, () -> "hung on " + run.current.get());
        System.out.println(run.summary(inputs[0], System.nanoTime() - start));
        run.assertClean(inputs[0]);
    }

    // ------------------------------------------------------------------------------------------ outcome checks

    /** @return null if {@code t} is our exception with a message "name: problem", else what is wrong */
    private static String checkThrown(Throwable t, String name) {
        if (t instanceof MalformedFileException e) {
            String m = e.getMessage();
            if (m != null && m.startsWith(name + ": ") && !m.substring(name.length() + 2).isBlank()
                    && name.equals(e.fileName())) {
                return null;
            }
            return "MalformedFileException with a message not of the form '" + name + ": problem': " + m;
        }
        StringBuilder s = new StringBuilder("threw ").append(t);
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 6); i++) {
            s.append("\n        at ").append(st[i]);
        }
        return s.toString();
    }

    /** @return the IDX content the readers should see: {@code input}, gunzipped if it is gzip; null if corrupt */
    private static byte[] plainIdx(byte[] input) {
        if (input.length < 2 || (input[0] & 0xff) != 0x1f || (input[1] & 0xff) != 0x8b) {
            return input;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(input))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static String checkImages(IdxImages images, byte[] input) {
        byte[] plain = plainIdx(input);
        if (plain == null || plain.length < 16) {
            return "parsed " + images + " from " + (plain == null ? "corrupt gzip" : plain.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        int magic = b.getInt();
        int[] dims = {b.getInt(), b.getInt(), b.getInt()};
        if (magic != Idx.IMAGES_MAGIC || dims[0] != images.count() || dims[1] != images.rows()
                || dims[2] != images.cols()) {
            return String.format("parsed %s from header 0x%08x %s", images, magic, Arrays.toString(dims));
        }
        if ((long) dims[0] * dims[1] * dims[2] != plain.length - 16
                || !Arrays.equals(images.pixels(), 0, images.pixels().length, plain, 16, plain.length)) {
            return "parsed " + images + " but the " + (plain.length - 16) + " payload bytes differ";
        }
        return null;
    }

    /** The header {@link Idx#verify} returned must be the input's, and the payload exactly what it claims. */
    private static String checkVerified(IdxHeader h, byte[] input) {
        byte[] plain = plainIdx(input);
        if (plain == null || plain.length < h.headerBytes()) {
            return "verified " + Arrays.toString(h.dims()) + " from " + (plain == null ? "corrupt gzip" : plain.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        int magic = b.getInt();
        int[] dims = new int[magic & 0xff];
        for (int i = 0; i < dims.length && b.remaining() >= 4; i++) {
            dims[i] = b.getInt();
        }
        if (magic != h.magic() || !Arrays.equals(dims, h.dims())
                || plain.length != h.headerBytes() + h.dataBytes()) {
            return String.format("verified %s from header 0x%08x %s and %d bytes", Arrays.toString(h.dims()), magic,
                    Arrays.toString(dims), plain.length);
        }
        return null;
    }

    private static String checkLabels(byte[] labels, byte[] input) {
        byte[] plain = plainIdx(input);
        if (plain == null || plain.length < 8) {
            return "parsed " + labels.length + " labels from "
                    + (plain == null ? "corrupt gzip" : plain.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        int magic = b.getInt();
        int count = b.getInt();
        if (magic != Idx.LABELS_MAGIC || count != labels.length || plain.length - 8 != count
                || !Arrays.equals(labels, 0, labels.length, plain, 8, plain.length)) {
            return String.format("parsed %d labels from header 0x%08x [%d] and %d payload bytes",
                    labels.length, magic, count, plain.length - 8);
        }
        for (byte v : labels) {
            if ((v & 0xff) > 9) {
                return "parsed label " + (v & 0xff);
            }
        }
        return null;
    }

    /**
     * Checks sizes against the prefix (version 1–3.0, header length ≤ 64 KiB, file = prefix + header +
     * 8 × elements) and the values against the payload: the same multiset of doubles, read in one byte order
     * (Fortran order only permutes them).
     */
    private static String checkNpy(NpyArray a, byte[] input) {
        NpyLayout l = NpyLayout.of(input);
        int[] shape = a.shape();
        if (l == null || input[7] != 0 || l.headerLength() > Npy.MAX_HEADER_BYTES || shape.length > 2) {
            return "parsed " + a + " from a file with a bad prefix or rank";
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != a.data().length || input.length != l.end() + 8 * n) {
            return "parsed " + a + " (" + a.data().length + " elements) from " + input.length + " bytes with a "
                    + l.headerLength() + "-byte header";
        }
        double[] got = a.data().clone();
        Arrays.sort(got);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            double[] file = new double[(int) n];
            ByteBuffer.wrap(input, l.end(), 8 * (int) n).order(order).asDoubleBuffer().get(file);
            Arrays.sort(file);
            if (Arrays.equals(got, file)) {
                return null;
            }
        }
        return "parsed " + a + " with values that are not the payload's";
    }

    /**
     * Bytes this thread has allocated so far (HotSpot's counter). A JVM without it skips the test (JUnit
     * reports it skipped) rather than passing it without checking the allocation limit.
     */
    private static long allocatedBytes() {
        boolean counted = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
                && mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled();
        assumeTrue(counted, "this JVM does not count the bytes a thread allocates");
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
