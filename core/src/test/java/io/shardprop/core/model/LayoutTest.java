package io.shardprop.core.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayoutTest {

    @Test
    void theNotebooksLayoutIsW1ThenW2() {
        Layout l = Layout.mnist(100);
        assertEquals(785 * 100 + 100 * 10, l.paramCount());
        assertEquals(785 * 100, l.weight(1, new double[l.paramCount()]).offset());
        assertNull(l.bias(1, new double[l.paramCount()]));
        assertArrayEquals(new String[]{"W1.npy", "W2.npy"}, l.fileNames());
    }

    @Test
    void deeperLayoutsInterleaveBiases() {
        Layout l = Layout.mnist(new int[]{300, 100}, true);
        double[] p = new double[l.paramCount()];
        assertEquals(785 * 300 + 300 * 100 + 100 + 100 * 10 + 10, l.paramCount());
        assertEquals(785 * 300, l.weight(1, p).offset());
        assertEquals(785 * 300 + 300 * 100, l.bias(1, p).offset());
        assertEquals(785 * 300 + 300 * 100 + 100, l.weight(2, p).offset());
        assertArrayEquals(new String[]{"W1.npy", "W2.npy", "b2.npy", "W3.npy", "b3.npy"}, l.fileNames());
        assertEquals("785-300-100-10 +bias", l.describe());
    }

    @Test
    void rejectsEmptyOrZeroWidths() {
        assertThrows(IllegalArgumentException.class, () -> Layout.mnist(new int[]{}, false));
        assertThrows(IllegalArgumentException.class, () -> Layout.mnist(new int[]{10, 0}, false));
    }

    @Test
    void heInitScalesByFanInAndZeroesBiases() {
        Layout l = Layout.mnist(new int[]{200}, true);
        double[] p = Init.HE.draw(l, 4);
        var w2 = l.weight(1, p);
        double sq = 0;
        for (int i = 0; i < w2.size(); i++) {
            sq += w2.data()[w2.offset() + i] * w2.data()[w2.offset() + i];
        }
        assertEquals(2.0 / 200, sq / w2.size(), 0.1 * 2.0 / 200);
        var w1 = l.weight(0, p);
        for (int j = 0; j < 200; j++) {
            assertEquals(0.0, w1.get(784, j));
        }
        for (double b : l.bias(1, p).toArray()) {
            assertEquals(0.0, b);
        }
    }
}
