package io.shardprop.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    private static final String IMAGES = "tiny-images-idx3-ubyte";
    private static final String LABELS = "tiny-labels-idx1-ubyte";

    @TempDir
    Path dir;

    /** 3 images of 2 x 4 pixels, values 0..255 spread so that unsigned reading matters. */
    private static byte[] pixels() {
        byte[] p = new byte[3 * 2 * 4];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 11);
        }
        return p;
    }

    private static byte[] imagesFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.writeImages(out, 3, 2, 4, pixels());
        return out.toByteArray();
    }

    private static byte[] labelsFile(byte... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.writeLabels(out, labels);
        return out.toByteArray();
    }

    /** A header with the given magic and dims, followed by {@code payload} bytes of zeros. */
    private static byte[] rawFile(int magic, int[] dims, int payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload).putInt(magic);
        Arrays.stream(dims).forEach(b::putInt);
        return b.array();
    }

    private Path save(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name + (gzip ? ".gz" : ""));
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    private static <T> MalformedFileException rejects(BiFunction<InputStream, String, T> reader, byte[] content,
                                                      String name, String... fragments) {
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> reader.apply(new ByteArrayInputStream(content), name));
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        return e;
    }

    /**
     * Bytes this thread allocates while running {@code action} (HotSpot's counter). A JVM without it skips the
     * test (reported as skipped) rather than passing it unchecked.
     */
    private static long allocatedBy(Runnable action) {
        boolean counted = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean m
                && m.isThreadAllocatedMemorySupported() && m.isThreadAllocatedMemoryEnabled();
        assumeTrue(counted, "this JVM does not count the bytes a thread allocates");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        action.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void roundTripsPlainAndGzippedFiles() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path images = save(IMAGES, imagesFile(), gzip);
            Path labels = save(LABELS, labelsFile((byte) 7, (byte) 0, (byte) 9), gzip);
            IdxImages read;
            byte[] readLabels;
            try (InputStream in = Files.newInputStream(images); InputStream lin = Files.newInputStream(labels)) {
                read = Idx.readImages(in, images.getFileName().toString());
                readLabels = Idx.readLabels(lin, labels.getFileName().toString());
            }
            assertEquals(3, read.count());
            assertEquals(2, read.rows());
            assertEquals(4, read.cols());
            assertArrayEquals(pixels(), read.pixels());
            assertEquals((2 * 8 + 1 * 4 + 3) * 11 % 256, read.pixel(2, 1, 3)); // unsigned, row-major
            assertArrayEquals(new byte[] {7, 0, 9}, readLabels);
            Idx.checkSameCount(read, readLabels, LABELS);
        }
        assertEquals(16 + 24, imagesFile().length);
        assertEquals(0x00000803, ByteBuffer.wrap(imagesFile()).getInt());
    }

    @Test
    void readsEmptyFiles() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.writeImages(out, 0, 28, 28, new byte[0]);
        IdxImages read = Idx.readImages(new ByteArrayInputStream(out.toByteArray()), IMAGES);
        assertEquals(0, read.count());
        assertEquals(28, read.rows());
        assertEquals(0, Idx.readLabels(new ByteArrayInputStream(labelsFile()), LABELS).length);
    }

    @Test
    void headerReadsOnlyHeaderBytes() {
        ByteArrayInputStream in = new ByteArrayInputStream(imagesFile());
        IdxHeader h = IdxHeader.read(in, IMAGES);
        assertEquals(new IdxHeader(IMAGES, 0x08, new int[] {3, 2, 4}, 16, 24), h);
        assertTrue(h.isImages());
        assertEquals(0x803, h.magic());
        assertEquals(24, in.available());
    }

    @Test
    void rejectsBadMagic() {
        byte[] f = imagesFile();
        f[0] = 0x01;
        rejects(Idx::readImages, f, IMAGES, "bad magic 0x01000803", "first two bytes must be zero");
    }

    @Test
    void rejectsWrongTypeByte() {
        rejects(Idx::readImages, rawFile(0x00000d03, new int[] {1, 1, 1}, 4), IMAGES,
                "type 0x0d (float) is not unsigned byte (0x08)");
    }

    @Test
    void rejectsUnsupportedRank() {
        rejects(Idx::readImages, rawFile(0x00000802, new int[] {1, 1}, 1), IMAGES, "2 dimensions");
    }

    @Test
    void rejectsLabelsFileGivenAsImagesAndViceVersa() {
        rejects(Idx::readImages, labelsFile((byte) 1), LABELS,
                "magic 0x00000801 is a labels file, expected images (0x00000803)");
        rejects(Idx::readLabels, imagesFile(), IMAGES,
                "magic 0x00000803 is an images file, expected labels (0x00000801)");
    }

    @Test
    void rejectsTruncatedHeader() {
        rejects(Idx::readImages, Arrays.copyOf(imagesFile(), 10), IMAGES,
                "truncated header: expected 16 bytes, found 10");
        rejects(Idx::readLabels, new byte[] {0, 0}, LABELS, "truncated header: expected at least 4 bytes, found 2");
        rejects(Idx::readLabels, new byte[0], LABELS, "truncated header");
    }

    @Test
    void rejectsTruncatedPayloadPlainAndGzipped() throws IOException {
        byte[] f = Arrays.copyOf(imagesFile(), 16 + 20);
        rejects(Idx::readImages, f, IMAGES, "truncated: expected 24 bytes of pixel data, found 20");
        // A gzip stream cut anywhere (header, deflate data, trailer) ends in EOFException: still "truncated".
        byte[] gz = Files.readAllBytes(save(IMAGES, imagesFile(), true));
        for (int cut = 0; cut < gz.length; cut++) {
            rejects(Idx::readImages, Arrays.copyOf(gz, cut), IMAGES, "truncated");
        }
        rejects(Idx::readImages, Arrays.copyOf(gz, gz.length - 8), IMAGES, "truncated: gzip stream ends");
    }

    @Test
    void rejectsExtraBytes() {
        byte[] f = Arrays.copyOf(labelsFile((byte) 1, (byte) 2), 8 + 2 + 5);
        rejects(Idx::readLabels, f, LABELS, "too much data: 5 extra bytes after 2 bytes of labels");
        rejects(Idx::readImages, Arrays.copyOf(imagesFile(), 16 + 24 + 1), IMAGES, "too much data: 1 extra bytes");
    }

    @Test
    void rejectsHugeHeaderBeforeAllocating() {
        // 0x7fffffff images of 4096 x 4096: about 3.6e16 bytes, far beyond 10^12.
        rejects(Idx::readImages, rawFile(0x00000803, new int[] {0x7fffffff, 4096, 4096}, 0), IMAGES,
                "header claims 36028797002186752 bytes");
        rejects(Idx::readImages, rawFile(0x00000803, new int[] {10, 4097, 1}, 0), IMAGES, "rows 4097 exceeds 4096");
        rejects(Idx::readImages, rawFile(0x00000803, new int[] {-1, 28, 28}, 0), IMAGES, "negative dimension -1");
    }

    @Test
    void headerClaimingTwoBillionBytesWithTinyPayloadIsTruncatedNotOutOfMemory() {
        // 2e9 labels claimed, 100 present: within the size limit, so only incremental reading saves us.
        long allocated = allocatedBy(() -> rejects(Idx::readLabels,
                rawFile(0x00000801, new int[] {2_000_000_000}, 100), LABELS,
                "truncated: expected 2000000000 bytes of labels, found 100"));
        assertTrue(allocated < 10_000_000, "allocated " + allocated + " bytes for a 100-byte payload");
        rejects(Idx::readImages, rawFile(0x00000803, new int[] {2_000_000, 28, 28}, 1000), IMAGES,
                "truncated: expected 1568000000 bytes of pixel data, found 1000");
    }

    @Test
    void rejectsLabelOutsideZeroToNine() {
        rejects(Idx::readLabels, labelsFile((byte) 3, (byte) 9, (byte) 10, (byte) 1), LABELS,
                "label 10 at index 2");
        rejects(Idx::readLabels, labelsFile((byte) 0, (byte) 0xff), LABELS, "label 255 at index 1");
    }

    @Test
    void rejectsCountMismatch() {
        IdxImages images = Idx.readImages(new ByteArrayInputStream(imagesFile()), IMAGES);
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> Idx.checkSameCount(images, new byte[] {1, 2}, LABELS));
        assertEquals(LABELS + ": 2 labels but " + IMAGES + " has 3 images", e.getMessage());
    }

    @Test
    void wrapsStreamFailuresWithTheName() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Idx.readImages(broken, IMAGES));
        assertTrue(e.getMessage().startsWith(IMAGES + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
    }

    @Test
    void writerRejectsInconsistentSizes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IllegalArgumentException.class, () -> Idx.writeImages(out, 2, 2, 2, new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> Idx.writeImages(out, 0, 5000, 1, new byte[0]));
    }

    /** 2,000 images of 28 x 28 random pixels, gzipped as one member. */
    private static byte[] bigGzippedImages(int members) throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        byte[] px = new byte[2000 * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (r.nextInt(10) == 0 ? r.nextInt(256) : 0);
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Idx.writeImages(plain, 2000, 28, 28, px);
        byte[] all = plain.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int m = 0; m < members; m++) {
            int from = all.length * m / members;
            int to = all.length * (m + 1) / members;
            try (GZIPOutputStream gz = new GZIPOutputStream(out) {
                @Override
                public void close() throws IOException {
                    finish();  // keep the underlying stream open for the next member
                }
            }) {
                gz.write(all, from, to - from);
            }
        }
        return out.toByteArray();
    }

    @Test
    void verifyReadsEveryGzipMemberToItsTrailer() throws IOException {
        for (int members : new int[]{1, 3}) {
            byte[] gz = bigGzippedImages(members);
            IdxHeader h = Idx.verify(new ByteArrayInputStream(gz), IMAGES);
            assertEquals(2000, h.count());
            assertEquals(784L * 2000, h.dataBytes());
        }
    }

    @Test
    void verifyRejectsACrcMismatchAndCorruptOrTruncatedMembers() throws IOException {
        byte[] gz = bigGzippedImages(1);
        byte[] crc = gz.clone();
        crc[crc.length - 8] ^= 1;  // the trailer's CRC-32: the data inflates fine but its checksum differs
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> Idx.verify(new ByteArrayInputStream(crc), IMAGES));
        assertTrue(e.getMessage().startsWith(IMAGES + ": corrupt gzip data") && e.getMessage().contains("trailer"),
                e.getMessage());
        byte[] length = gz.clone();
        length[length.length - 1] ^= 1;  // ISIZE, the uncompressed length mod 2^32
        assertThrows(MalformedFileException.class, () -> Idx.verify(new ByteArrayInputStream(length), IMAGES));
        byte[] middle = gz.clone();  // as a user did: 200 bytes overwritten in the middle of the file
        for (int i = 0; i < 200; i++) {
            middle[middle.length / 2 + i] ^= (byte) 0x5a;
        }
        e = assertThrows(MalformedFileException.class, () -> Idx.verify(new ByteArrayInputStream(middle), IMAGES));
        assertTrue(e.getMessage().startsWith(IMAGES + ": "), e.getMessage());
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        e = assertThrows(MalformedFileException.class, () -> Idx.verify(new ByteArrayInputStream(cut), IMAGES));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] secondMember = bigGzippedImages(3);
        secondMember[secondMember.length / 2] ^= 0x5a;
        assertThrows(MalformedFileException.class, () -> Idx.verify(new ByteArrayInputStream(secondMember), IMAGES));
    }
}
