package io.shardprop.core.linalg;

import io.shardprop.core.data.Batch;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Bytes expand to the float caches' values, bit for bit; a byte stands for a value only when it gives it back. */
class ByteMatTest {

    private static byte[] pixels(int n, int width, long seed) {
        byte[] px = new byte[n * width];
        new SplittableRandom(seed).nextBytes(px);
        return px;
    }

    @Test
    void pixelsExpandToWhatFromBytesBuilds() {
        int n = 37;
        int width = 50;
        byte[] px = pixels(n, width, 3);
        byte[] labels = new byte[n];
        for (Precision p : Precision.values()) {
            Batch floats = Batch.fromBytes(px, width, labels, 0, n, p);
            Batch bytes = Batch.ofBytes(px, width, labels, 0, n, p);
            Inputs x = bytes.expanded().x();
            assertEquals(floats.x().getClass(), x.getClass(), p.id());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= width; j++) {
                    assertEquals(Double.doubleToRawLongBits(floats.x().get(i, j)),
                            Double.doubleToRawLongBits(x.get(i, j)), p.id() + " (" + i + ", " + j + ")");
                    assertEquals(floats.x().get(i, j), bytes.x().get(i, j), 0.0, "get before expanding");
                }
            }
        }
    }

    @Test
    void aBlockOfRowsCopiesAndConvertsAsBytes() {
        ByteMat m = new ByteMat(pixels(10, 4, 5), 0, 10, 4, ByteMat.Code.INTEGER, Precision.FLOAT64);
        ByteMat rows = m.copyRows(3, 2);
        assertEquals(2, rows.rows());
        assertEquals(5, rows.cols());
        assertEquals(m.get(4, 2), rows.get(1, 2), 0.0);
        assertEquals(1.0, rows.get(0, 4), 0.0, "the ones column");
        ByteMat single = (ByteMat) Precision.FLOAT32.convert(m);
        assertSame(m.data(), single.data());
        assertEquals(Precision.FLOAT32, single.precision());
        assertEquals(FMat.class, single.expand().getClass());
    }

    @Test
    void aByteStandsForAValueOnlyWhenItGivesItBack() {
        for (int k = 0; k < 256; k++) {
            assertEquals(k, ByteMat.Code.PIXEL.byteOf(k / 255.0));
            assertEquals(k, ByteMat.Code.INTEGER.byteOf(k));
        }
        assertEquals(-1, ByteMat.Code.PIXEL.byteOf(0.5));
        assertEquals(-1, ByteMat.Code.PIXEL.byteOf((float) (3 / 255.0)), "a float32-rounded pixel is not k/255");
        assertEquals(-1, ByteMat.Code.INTEGER.byteOf(256));
        assertEquals(-1, ByteMat.Code.INTEGER.byteOf(-1));
        assertEquals(-1, ByteMat.Code.INTEGER.byteOf(2.5));
        assertEquals(-1, ByteMat.Code.INTEGER.byteOf(-0.0), "-0.0 has other bits than byte 0's value");
        assertEquals(-1, ByteMat.Code.PIXEL.byteOf(Double.NaN));
        assertArrayEquals(new double[]{0, 1, 255}, new double[]{ByteMat.Code.INTEGER.value(0),
            ByteMat.Code.INTEGER.value(1), ByteMat.Code.INTEGER.value(255)});
    }
}
