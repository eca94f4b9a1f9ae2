package io.shardprop.job.report;

import io.shardprop.core.train.EpochMetrics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {

    private interface Drawing {
        void to(OutputStream out) throws IOException;
    }

    private static BufferedImage png(Drawing d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.to(out);
        byte[] bytes = out.toByteArray();
        assertTrue(bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "PNG signature");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(img, "ImageIO decodes it");
        return img;
    }

    private static void assertSize(int width, int height, BufferedImage img) {
        assertEquals(width + "x" + height, img.getWidth() + "x" + img.getHeight());
    }

    /** Not a blank canvas: some pixels are far from white (text, lines, cells). */
    private static void assertDrawn(BufferedImage img) {
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color c = new Color(img.getRGB(x, y));
                if (c.getRed() + c.getGreen() + c.getBlue() < 300) {
                    dark++;
                }
            }
        }
        assertTrue(dark > 200, "only " + dark + " dark pixels");
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A 50-epoch run shaped like the notebook's: loss 23 → 3.5, accuracy 0.1 → 0.82; test every epoch. */
    static List<EpochMetrics> run(int epochs, long seed) {
        Random rnd = new Random(seed);
        List<EpochMetrics> list = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double t = (e - 1) / (double) Math.max(1, epochs - 1);
            double decay = Math.exp(-4 * t);
            double loss = 3.5 + 19.5 * decay + 0.15 * rnd.nextGaussian();
            double acc = 0.82 - 0.72 * decay + 0.004 * rnd.nextGaussian();
            list.add(new EpochMetrics(e, loss, acc, loss * 0.96 - 0.1, acc + 0.01, 0.6 + 0.05 * rnd.nextDouble()));
        }
        return list;
    }

    /** About 82 % accuracy, MNIST's class sizes, plausible confusions (4↔9, 3↔5, 7↔9 …). */
    static long[][] confusion(long seed) {
        int[] sizes = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
        int[][] likely = {{6, 2}, {8, 2}, {8, 3}, {5, 8}, {9, 6}, {3, 8}, {0, 5}, {9, 2}, {3, 5}, {4, 7}};
        Random rnd = new Random(seed);
        long[][] m = new long[10][10];
        for (int t = 0; t < 10; t++) {
            for (int i = 0; i < sizes[t]; i++) {
                double u = rnd.nextDouble();
                int p = u < 0.82 ? t : u < 0.89 ? likely[t][0] : u < 0.93 ? likely[t][1] : rnd.nextInt(10);
                m[t][p]++;
            }
        }
        return m;
    }

    /** A digit-like image: the glyph of {@code label} drawn white on black, slightly rotated and sheared. */
    static byte[] digit(int label, Random rnd) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.translate(14, 14);
        g.rotate((rnd.nextDouble() - 0.5) * 0.5);
        g.shear((rnd.nextDouble() - 0.5) * 0.4, 0);
        g.setFont(new Font(rnd.nextBoolean() ? Font.SANS_SERIF : Font.SERIF, Font.BOLD, 22 + rnd.nextInt(4)));
        g.setColor(Color.WHITE);
        String s = Integer.toString(label);
        g.drawString(s, -g.getFontMetrics().stringWidth(s) / 2, 8);
        g.dispose();
        byte[] px = new byte[784];
        img.getRaster().getDataElements(0, 0, 28, 28, px);
        return px;
    }

    static List<Mistake> mistakes(int n, long seed) {
        Random rnd = new Random(seed);
        List<Mistake> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int t = rnd.nextInt(10), p = (t + 1 + rnd.nextInt(9)) % 10;
            list.add(new Mistake(digit(t, rnd), 28, 28, t, p, 0.3 + 0.7 * rnd.nextDouble()));
        }
        return list;
    }

    @Test
    void curvesDecodeAtTheirSize() throws IOException {
        BufferedImage img = png(out -> Plots.curves(run(50, 1), out));
        assertSize(Plots.CURVES_WIDTH, Plots.CURVES_HEIGHT, img);
        assertDrawn(img);
    }

    @Test
    void curvesChangeWhenTheMetricsChange() throws IOException {
        List<EpochMetrics> a = run(50, 1);
        List<EpochMetrics> b = new ArrayList<>(a);
        EpochMetrics e = b.get(20);
        b.set(20, new EpochMetrics(e.epoch(), e.trainLoss() + 4, e.trainAccuracy(), e.testLoss(),
                e.testAccuracy(), e.seconds()));
        assertTrue(samePixels(png(out -> Plots.curves(a, out)), png(out -> Plots.curves(run(50, 1), out))),
                "same metrics, same picture");
        assertFalse(samePixels(png(out -> Plots.curves(a, out)), png(out -> Plots.curves(b, out))));
    }

    @Test
    void curvesLeaveOutUnmeasuredTestValuesAndDrawEdgeCases() throws IOException {
        List<EpochMetrics> gaps = new ArrayList<>();
        for (EpochMetrics e : run(12, 2)) {
            boolean measured = e.epoch() % 3 == 0;
            gaps.add(new EpochMetrics(e.epoch(), e.trainLoss(), e.trainAccuracy(),
                    measured ? e.testLoss() : Double.NaN, measured ? e.testAccuracy() : Double.NaN, e.seconds()));
        }
        List<EpochMetrics> wideLoss = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            wideLoss.add(new EpochMetrics(i, 20 * Math.pow(0.6, i), 1 - 0.9 * Math.pow(0.7, i), Double.NaN,
                    Double.NaN, 1));
        }
        for (List<EpochMetrics> m : List.of(gaps, wideLoss, run(1, 3), List.<EpochMetrics>of())) {
            BufferedImage img = png(out -> Plots.curves(m, out));
            assertSize(Plots.CURVES_WIDTH, Plots.CURVES_HEIGHT, img);
            assertDrawn(img);
        }
    }

    /** Pixels within 12 per channel of {@code c}, in columns [{@code x0}, {@code x1}). */
    private static int pixelsOf(Color c, BufferedImage img, int x0, int x1) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                Color p = new Color(img.getRGB(x, y));
                if (Math.abs(p.getRed() - c.getRed()) < 12 && Math.abs(p.getGreen() - c.getGreen()) < 12
                        && Math.abs(p.getBlue() - c.getBlue()) < 12) {
                    n++;
                }
            }
        }
        return n;
    }

    /** {@link #run} with a validation set's loss and accuracy and, when {@code best > 0}, early stopping's column. */
    static List<EpochMetrics> withValidation(List<EpochMetrics> run, int best) {
        List<EpochMetrics> out = new ArrayList<>();
        for (EpochMetrics e : run) {
            java.util.Map<String, Double> more = new java.util.LinkedHashMap<>();
            more.put("val_loss", e.testLoss() * 1.1);
            more.put("val_accuracy", e.testAccuracy() - 0.03);
            if (best > 0) {
                more.put("best_epoch", (double) Math.min(best, e.epoch()));
            }
            out.add(new EpochMetrics(e.epoch(), e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(),
                    e.seconds(), more));
        }
        return out;
    }

    @Test
    void validationCurvesAndTheBestEpochAreDrawnOnBothPanels() throws IOException {
        int half = Plots.CURVES_WIDTH / 2;
        BufferedImage plain = png(out -> Plots.curves(run(30, 1), out));
        BufferedImage validated = png(out -> Plots.curves(withValidation(run(30, 1), 0), out));
        BufferedImage stopped = png(out -> Plots.curves(withValidation(run(30, 1), 20), out));
        assertEquals(0, pixelsOf(Png.VALIDATION, plain, 0, Plots.CURVES_WIDTH));
        assertTrue(pixelsOf(Png.VALIDATION, validated, 0, half) > 200, "validation loss drawn");
        assertTrue(pixelsOf(Png.VALIDATION, validated, half, Plots.CURVES_WIDTH) > 200, "validation accuracy drawn");
        assertFalse(samePixels(validated, stopped), "the best epoch is marked");
    }

    @Test
    void aRegressionDrawsR2PerEpochWhereAClassificationDrawsAccuracy() throws IOException {
        int half = Plots.CURVES_WIDTH / 2;
        List<EpochMetrics> fit = new ArrayList<>(), noFit = new ArrayList<>();
        for (int e = 1; e <= 25; e++) {
            double loss = 0.2 + Math.exp(-e / 5.0);
            java.util.Map<String, Double> more = new java.util.LinkedHashMap<>();
            more.put("test_rmse", Math.sqrt(loss));
            more.put("test_r2", 1 - loss);
            fit.add(new EpochMetrics(e, loss, Double.NaN, loss * 1.05, Double.NaN, 0.1, more));
            noFit.add(new EpochMetrics(e, loss, Double.NaN, loss * 1.05, Double.NaN, 0.1));
        }
        BufferedImage r2 = png(out -> Plots.curves(fit, out));
        BufferedImage none = png(out -> Plots.curves(noFit, out));
        assertTrue(pixelsOf(Png.TEST, r2, half, Plots.CURVES_WIDTH) > 200, "test R² drawn");
        int legendOnly = pixelsOf(Png.TEST, none, half, Plots.CURVES_WIDTH);
        assertTrue(legendOnly < 200, "no R², no accuracy: only the legend's test line, " + legendOnly);
        assertDrawn(r2);
    }

    @Test
    void confusionDecodesAtItsSize() throws IOException {
        BufferedImage img = png(out -> Plots.confusion(confusion(1), out));
        assertSize(Plots.CONFUSION_WIDTH, Plots.CONFUSION_HEIGHT, img);
        assertDrawn(img);
    }

    @Test
    void confusionHandlesAZeroRowAnySizeAndAnEmptyMatrix() throws IOException {
        long[][] m = confusion(2);
        m[3] = new long[10];
        long[][] three = {{5, 1, 0}, {0, 0, 0}, {2, 0, 7}};
        long[][] big = new long[30][30];
        for (int i = 0; i < 30; i++) {
            big[i][i] = 90;
            big[i][(i + 1) % 30] = 10;
        }
        for (long[][] c : List.of(m, three, big, new long[2][2], new long[][] {{4}})) {
            BufferedImage img = png(out -> Plots.confusion(c, out));
            assertSize(Plots.CONFUSION_WIDTH, Plots.CONFUSION_HEIGHT, img);
            assertDrawn(img);
        }
    }

    @Test
    void confusionRejectsANonSquareOrNegativeMatrix() {
        OutputStream sink = OutputStream.nullOutputStream();
        assertThrows(IllegalArgumentException.class, () -> Plots.confusion(new long[][] {{1, 2}}, sink));
        assertThrows(IllegalArgumentException.class, () -> Plots.confusion(new long[0][0], sink));
        assertThrows(IllegalArgumentException.class, () -> Plots.confusion(new long[][] {{1, -1}, {0, 1}}, sink));
    }

    @Test
    void mistakesHandleNoneOneAndMoreThanFit() throws IOException {
        for (int n : new int[] {0, 1, 100}) {
            List<Mistake> list = mistakes(n, n);
            BufferedImage img = png(out -> Plots.mistakes(list, out));
            int[] wh = Plots.mistakesSize(n);
            assertSize(wh[0], wh[1], img);
            assertDrawn(img);
        }
        assertArrayEquals(Plots.mistakesSize(64), Plots.mistakesSize(100), "at most 8 x 8");
        assertArrayEquals(Plots.mistakesSize(0), Plots.mistakesSize(1), "one row also for none");
        assertTrue(Plots.mistakesSize(64)[1] > Plots.mistakesSize(8)[1]);
    }

    @Test
    void mistakesCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Mistake(new byte[783], 28, 28, 1, 2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Mistake(new byte[784], 28, 28, 1, 2, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.mistakes(mistakes(3, 1), 2, OutputStream.nullOutputStream()));
        byte[] px = new byte[4];
        Mistake m = new Mistake(px, 2, 2, 1, 2, 0.5);
        px[0] = 9;
        assertEquals(0, m.pixel(0, 0), "pixels are copied");
    }

    /** Writes the sample pictures for a person to look at: {@code -Dshardprop.plots.samples=/tmp/plots}. */
    @Test
    void writesSamplesWhenAsked() throws IOException {
        String dir = System.getProperty("shardprop.plots.samples");
        Assumptions.assumeTrue(dir != null && !dir.isEmpty(), "set shardprop.plots.samples to write samples");
        Path d = Files.createDirectories(Path.of(dir));
        try (OutputStream out = Files.newOutputStream(d.resolve("curves.png"))) {
            Plots.curves(run(50, 1), out);
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("confusion.png"))) {
            Plots.confusion(confusion(1), out);
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("mistakes.png"))) {
            Plots.mistakes(mistakes(100, 7), 1779, out);
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("mistakes-none.png"))) {
            Plots.mistakes(List.of(), out);
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("mistakes-three.png"))) {
            Plots.mistakes(mistakes(3, 3), out);
        }
        List<EpochMetrics> wide = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            boolean measured = i % 3 == 0;
            double loss = 20 * Math.pow(0.5, i);
            wide.add(new EpochMetrics(i, loss, 1 - 0.8 * Math.pow(0.7, i), measured ? loss * 1.1 : Double.NaN,
                    measured ? 0.98 - 0.8 * Math.pow(0.7, i) : Double.NaN, 1));
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("curves-log-gaps.png"))) {
            Plots.curves(wide, out);
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("curves-one-epoch.png"))) {
            Plots.curves(run(1, 3), out);
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("curves-empty.png"))) {
            Plots.curves(List.of(), out);
        }
        long[][] big = new long[30][30];
        for (int i = 0; i < 30; i++) {
            big[i][i] = 90;
            big[i][(i + 1) % 30] = 10;
        }
        try (OutputStream out = Files.newOutputStream(d.resolve("confusion-30.png"))) {
            Plots.confusion(big, out);
        }
        long[][] zero = confusion(2);
        zero[3] = new long[10];
        try (OutputStream out = Files.newOutputStream(d.resolve("confusion-zero-row.png"))) {
            Plots.confusion(zero, out);
        }
    }
}
