package io.shardprop.core.data;

import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShiftTest {

    static final int H = 5;
    static final int W = 7;

    /** {@code n} images of distinct non-zero values (row i, pixel p: 1 + i * 100 + p) and the bias column's ones. */
    static Mat images(int n) {
        Mat m = Mat.zeros(n, H * W + 1);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < H * W; p++) {
                m.set(i, p, 1 + i * 100 + p);
            }
            m.set(i, H * W, 1.0);
        }
        return m;
    }

    /** The move of row {@code i}: where its image's pixel (2, 3) went. */
    static int[] move(Inputs in, Inputs out, int i) {
        double v = in.get(i, 2 * W + 3);
        for (int p = 0; p < H * W; p++) {
            if (out.get(i, p) == v) {
                return new int[]{p / W - 2, p % W - 3};
            }
        }
        throw new AssertionError("row " + i + ": pixel (2, 3) is gone");
    }

    /** Every row is its image moved by one (dy, dx) within max, uncovered pixels 0, the bias column kept. */
    @Test
    void everyImageIsMovedWholeByAtMostMaxPixelsWithZerosWhereItUncovers() {
        Mat in = images(300);
        Shift shift = new Shift(H, W, 2);
        Inputs out = shift.apply(in, 42);
        Set<String> moves = new HashSet<>();
        for (int i = 0; i < in.rows(); i++) {
            int[] d = move(in, out, i);
            assertTrue(Math.abs(d[0]) <= 2 && Math.abs(d[1]) <= 2, "row " + i + " moved by " + d[0] + ", " + d[1]);
            moves.add(d[0] + "," + d[1]);
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    int sr = r - d[0];
                    int sc = c - d[1];
                    double want = sr >= 0 && sr < H && sc >= 0 && sc < W ? in.get(i, sr * W + sc) : 0.0;
                    assertEquals(want, out.get(i, r * W + c), "row " + i + " pixel (" + r + ", " + c + ")");
                }
            }
            assertEquals(1.0, out.get(i, H * W), "the bias column");
        }
        assertEquals(25, moves.size(), "all 5 x 5 moves occur in 300 rows");
        assertArrayEquals(images(300).toArray(), in.toArray(), "the input is left as it was");
    }

    @Test
    void theSameSeedGivesTheSameMovesInBothPrecisionsAnotherSeedOthers() {
        Mat in = images(50);
        Shift shift = new Shift(H, W, 1);
        Mat a = (Mat) shift.apply(in, 7);
        assertArrayEquals(a.toArray(), ((Mat) shift.apply(in, 7)).toArray());
        assertFalse(java.util.Arrays.equals(a.toArray(), ((Mat) shift.apply(in, 8)).toArray()));
        FMat f = (FMat) shift.apply(FMat.of(in), 7);
        for (int i = 0; i < in.rows(); i++) {
            for (int p = 0; p <= H * W; p++) {
                assertEquals(a.get(i, p), f.get(i, p), "float32 row " + i + " value " + p);
            }
        }
    }

    /** A block's moves depend on the epoch's seed and its index alone: where it is computed does not matter. */
    @Test
    void aBlockIsMovedByTheEpochSeedAndItsIndex() {
        Batch data = new Batch(images(40), new int[40]);
        Shift shift = new Shift(H, W, 1);
        double[] a = ((Mat) shift.apply(new Block(3, 0, data), 11).x()).toArray();
        assertArrayEquals(a, ((Mat) shift.apply(new Block(3, 120, data), 11).x()).toArray(), "same index and seed");
        assertFalse(java.util.Arrays.equals(a, ((Mat) shift.apply(new Block(4, 0, data), 11).x()).toArray()), "index");
        assertFalse(java.util.Arrays.equals(a, ((Mat) shift.apply(new Block(3, 0, data), 12).x()).toArray()), "seed");
        assertSame(data, Shift.NONE.apply(new Block(3, 0, data), 11));
    }

    @Test
    void noneLeavesInputsAsTheyAreAndBadShapesAreRefused() {
        Mat in = images(3);
        assertSame(in, Shift.NONE.apply(in, 1));
        assertThrows(IllegalArgumentException.class, () -> new Shift(H, W, H));
        assertThrows(IllegalArgumentException.class, () -> new Shift(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Shift(W, H + 1, 1).apply(in, 1));
    }
}
