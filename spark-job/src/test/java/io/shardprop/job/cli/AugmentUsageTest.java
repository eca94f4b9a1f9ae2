package io.shardprop.job.cli;

import io.shardprop.job.TinyMnist;
import io.shardprop.job.augment.PreviewSheet;
import io.shardprop.job.testing.MainRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code augment}'s checks before Spark (exit 2, one line, nothing written) and its preview, which needs no Spark. */
class AugmentUsageTest {

    @TempDir
    static Path dir;
    static Path mnist;

    @BeforeAll
    static void data() throws IOException {
        mnist = TinyMnist.write(Files.createDirectories(dir.resolve("mnist")), 40, 10, 5, true);
    }

    @Test
    void badOptionsExit2WithOneLine() throws IOException {
        Path out = dir.resolve("never");
        MainRun.of("augment", "--data", mnist.toString(), "--copies", "-2", "--rotate", "10", "--out", out.toString())
                .assertUsageError("--copies must be 0 or more, got -2", out);
        MainRun.of("augment", "--data", mnist.toString(), "--copies", "3", "--out", out.toString())
                .assertUsageError("--copies 3 needs a deformation", out);
        MainRun.of("augment", "--data", mnist.toString(), "--rotate", "10", "--out", out.toString())
                .assertUsageError("--copies K is required", out);
        MainRun.of("augment", "--data", mnist.toString(), "--copies", "1", "--rotate", "200", "--out", out.toString())
                .assertUsageError("--rotate must be between 0 (none) and 180 degrees, got 200", out);
        MainRun.of("augment", "--data", mnist.toString(), "--copies", "1", "--rotate", "5", "--format", "parquet",
                "--gzip", "--out", out.toString()).assertUsageError("--gzip goes with --format idx", out);
        MainRun.of("augment", "--data", dir.resolve("nowhere").toString(), "--copies", "1", "--rotate", "5",
                "--out", out.toString()).assertUsageError("--data: ", out);
        Path existing = Files.createDirectories(dir.resolve("existing"));
        MainRun r = MainRun.of("augment", "--data", mnist.toString(), "--copies", "1", "--rotate", "5", "--out",
                existing.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("already exists; pass --overwrite"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        MainRun.assertNoSparkSession();
    }

    @Test
    void previewHasOneRowPerDigitOfTheSourceAndItsCopies() throws IOException {
        Path png = dir.resolve("preview.png");
        MainRun r = MainRun.of("augment", "--data", mnist.toString(), "--preview", png.toString(), "--elastic-alpha",
                "34", "--rotate", "15", "--scale", "0.15", "--shear", "15");
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertArrayEquals(PreviewSheet.size(28, 28, 8, 6), new int[]{img.getWidth(), img.getHeight()});
        assertEquals(2 + 7 * (84 + 2), img.getWidth());
        assertEquals(2 + 8 * (84 + 2), img.getHeight());
        MainRun.assertNoSparkSession();
        MainRun.of("augment", "--data", mnist.toString(), "--preview", png.toString(), "--rotate", "15")
                .assertUsageError("already exists; pass --overwrite", dir.resolve("never"));
        MainRun small = MainRun.of("augment", "--data", mnist.toString(), "--preview", png.toString(), "--overwrite",
                "--rotate", "15", "--preview-digits", "3", "--preview-copies", "2");
        assertEquals(0, small.code(), small.err());
        img = ImageIO.read(png.toFile());
        assertEquals(2 + 3 * 86, img.getWidth());
        assertEquals(2 + 3 * 86, img.getHeight());
    }
}
