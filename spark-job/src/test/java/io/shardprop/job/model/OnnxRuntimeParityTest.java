package io.shardprop.job.model;

import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.onnx.OnnxExport;
import io.shardprop.core.onnx.OnnxGraph.ElementType;
import io.shardprop.job.testing.OnnxChecker;
import io.shardprop.job.testing.OnnxRuntime;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every activation and loss, exported and run by ONNX Runtime, against the scorer {@code predict} uses, on random
 * weights and inputs: float64 to 1e-12 with the same labels, float32 to 1e-5. Two hidden layers with bias vectors.
 */
class OnnxRuntimeParityTest {

    private static final int ROWS = 500;

    @Test
    void everyActivationAndLossMatchesTheScorer() {
        Layout classifier = new Layout(13, new int[]{9, 7}, 4, true);
        Layout regression = new Layout(13, new int[]{9, 7}, 2, true);
        for (Activation a : Activation.values()) {
            for (Loss loss : Loss.values()) {
                Mlp m = new Mlp(loss.regression() ? regression : classifier, loss, a);
                check(m, 31L * a.ordinal() + loss.ordinal());
            }
        }
    }

    private static void check(Mlp m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] params = new double[m.layout().paramCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = r.nextGaussian() * 0.8;
        }
        int d = m.layout().inputs() - 1;
        double[][] x = new double[ROWS][d];
        Mat withOnes = Mat.zeros(ROWS, d + 1);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = r.nextGaussian();
                withOnes.set(i, j, x[i][j]);
            }
            withOnes.set(i, d, 1.0);
        }
        Scorer.Scores expected = new Scorer(m, params).score(withOnes);
        String what = m.activation() + " " + m.loss();
        for (ElementType type : new ElementType[]{ElementType.DOUBLE, ElementType.FLOAT}) {
            byte[] onnx = OnnxExport.export(m, params, new OnnxExport.Options(type, false), "test", Map.of());
            checked(onnx);
            OnnxRuntime.Outputs got = OnnxRuntime.run(onnx, OnnxExport.FEATURES, x, type == ElementType.FLOAT);
            double tolerance = type == ElementType.DOUBLE ? 1e-12 : 1e-5;
            if (m.loss().regression()) {
                for (int i = 0; i < ROWS; i++) {
                    for (int j = 0; j < m.layout().classes(); j++) {
                        double e = expected.values().get(i, j);
                        assertEquals(e, got.predictions()[i][j], tolerance * Math.max(1, Math.abs(e)), what + " " + type);
                    }
                }
                continue;
            }
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < m.layout().classes(); j++) {
                    assertEquals(expected.probabilities().get(i, j), got.probabilities()[i][j], tolerance,
                            what + " " + type + " row " + i);
                }
            }
            if (type == ElementType.DOUBLE) {
                long[] labels = java.util.Arrays.stream(expected.labels()).asLongStream().toArray();
                assertArrayEquals(labels, got.labels(), what);
            }
        }
    }

    /** onnx.checker's full check of {@code onnx}, through a temporary file. */
    private static void checked(byte[] onnx) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("shardprop", ".onnx");
            try {
                java.nio.file.Files.write(file, onnx);
                OnnxChecker.check(file);
            } finally {
                java.nio.file.Files.delete(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void pixelsAreDividedBy255AsTrainingDoes() {
        Mlp m = new Mlp(new Layout(7, new int[]{5}, 3, false), Loss.XENT, Activation.RELU);
        double[] params = new double[m.layout().paramCount()];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < params.length; i++) {
            params[i] = r.nextGaussian();
        }
        double[][] pixels = new double[50][6];
        double[][] features = new double[50][6];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 6; j++) {
                pixels[i][j] = r.nextInt(256);
                features[i][j] = pixels[i][j] / 255.0;
            }
        }
        OnnxRuntime.Outputs fromPixels = OnnxRuntime.run(OnnxExport.export(m, params,
                new OnnxExport.Options(ElementType.DOUBLE, true), "t", Map.of()), OnnxExport.PIXELS, pixels, false);
        OnnxRuntime.Outputs fromFeatures = OnnxRuntime.run(OnnxExport.export(m, params,
                new OnnxExport.Options(ElementType.DOUBLE, false), "t", Map.of()), OnnxExport.FEATURES, features, false);
        assertArrayEquals(fromFeatures.labels(), fromPixels.labels());
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(fromFeatures.probabilities()[i], fromPixels.probabilities()[i], 0.0);
        }
        assertTrue(fromPixels.labels().length == 50);
    }
}
