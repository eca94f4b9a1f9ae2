package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small cases computed by hand, one per layer and direction. */
class LayersTest {

    @Test
    void matmulForwardAndBackwardByHand() {
        Mat x = Mat.of(2, 2, 1, 2, 3, 4);
        Mat w = Mat.of(2, 2, 5, 6, 7, 8);
        Mat h = Mat.zeros(2, 2);
        Matmul.forward(x, w, h);
        assertArrayEquals(new double[]{19, 22, 43, 50}, h.toArray());

        Mat dh = Mat.of(2, 2, 1, 0, 0, 1);
        Mat dW = Mat.of(2, 2, 100, 0, 0, 0); // backward adds into dW
        Mat dx = Mat.zeros(2, 2);
        Matmul.backward(x, w, dh, dW, dx);
        assertArrayEquals(new double[]{101, 3, 2, 4}, dW.toArray()); // 100 + xᵀ·I
        assertArrayEquals(new double[]{5, 7, 6, 8}, dx.toArray());   // I·Wᵀ
    }

    @Test
    void matmulNamesBothShapesOnMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matmul.forward(Mat.zeros(2, 3), Mat.zeros(4, 5), Mat.zeros(2, 5)));
        assertTrue(e.getMessage().contains("x is [2 x 3]") && e.getMessage().contains("W is [4 x 5]"), e.getMessage());
    }

    @Test
    void reluByHand() {
        Mat x = Mat.of(2, 2, -1, 2, 0, 3);
        Mat y = Mat.zeros(2, 2);
        Relu.forward(x, y);
        assertArrayEquals(new double[]{0, 2, 0, 3}, y.toArray());
        Mat dx = Mat.zeros(2, 2);
        Relu.backward(x, Mat.of(2, 2, 10, 20, 30, 40), dx);
        assertArrayEquals(new double[]{0, 20, 0, 40}, dx.toArray()); // x > 0 strictly, as the notebook
    }

    @Test
    void reluIsExactOnEdgeValues() {
        double[] xs = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, -1.0,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 3.5e-300};
        Mat x = Mat.of(1, xs.length, xs.clone());
        Mat y = Mat.zeros(1, xs.length);
        Relu.forward(x, y);
        double[] g = new double[xs.length];
        java.util.Arrays.fill(g, -2.5);
        Mat dx = Mat.zeros(1, xs.length);
        Relu.backward(x, Mat.of(1, xs.length, g), dx);
        for (int i = 0; i < xs.length; i++) {
            // forward as numpy's maximum(x, 0): NaN stays NaN, -0.0 becomes 0.0; backward passes G where x > 0, else +0.0
            double want = Double.isNaN(xs[i]) ? Double.NaN : xs[i] > 0 ? xs[i] : 0.0;
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(y.get(0, i)), "relu(" + xs[i] + ")");
            assertEquals(Double.doubleToRawLongBits(xs[i] > 0 ? -2.5 : 0.0), Double.doubleToRawLongBits(dx.get(0, i)),
                    "relu'(" + xs[i] + ")");
        }
    }

    @Test
    void softmaxByHand() {
        Mat x = Mat.of(2, 2, 0, 0, Math.log(3), 0);
        Mat s = Mat.zeros(2, 2);
        Softmax.forward(x, s);
        assertArrayEquals(new double[]{0.5, 0.5, 0.75, 0.25}, s.toArray(), 1e-12);
        // dx = ds ⊙ s − s (ds·s): row 0 with ds = (1, 0): (0.5 − 0.25, −0.25)
        Mat dx = Mat.zeros(2, 2);
        Softmax.backward(s, Mat.of(2, 2, 1, 0, 0, 1), dx);
        assertArrayEquals(new double[]{0.25, -0.25, -0.1875, 0.1875}, dx.toArray(), 1e-12);
    }

    @Test
    void softmaxSubtractsTheRowMaximumSoLargeInputsStayFinite() {
        Mat s = Mat.zeros(1, 2);
        Softmax.forward(Mat.of(1, 2, 1000, 1000 + Math.log(3)), s);
        assertArrayEquals(new double[]{0.25, 0.75}, s.toArray(), 1e-12);
    }

    @Test
    void softmaxKeepsTheNotebooksEpsilon() {
        Mat s = Mat.zeros(1, 1);
        Softmax.forward(Mat.of(1, 1, 0.0), s);
        assertEquals(1.0 / (1.0 + 1e-12), s.get(0, 0), 0.0);
    }

    @Test
    void logByHand() {
        Mat y = Mat.zeros(1, 3);
        Log.forward(Mat.of(1, 3, 1, Math.E, 0), y);
        assertArrayEquals(new double[]{Math.log(1 + 1e-12), Math.log(Math.E + 1e-12), Math.log(1e-12)}, y.toArray(), 0);
        Mat dx = Mat.zeros(1, 2);
        Log.backward(Mat.of(1, 2, 2, 0), Mat.of(1, 2, 1, 1), dx);
        assertArrayEquals(new double[]{1 / (2 + 1e-12), 1e12}, dx.toArray(), 1e-3);
    }

    @Test
    void elementwiseBackwardMayRunInPlace() {
        Mat x = Mat.of(1, 3, -0.5, 0.25, 2);
        for (String layer : new String[]{"relu", "log"}) {
            Mat dy = Mat.of(1, 3, 1, -2, 3);
            Mat separate = Mat.zeros(1, 3);
            if (layer.equals("relu")) {
                Relu.backward(x, dy, separate);
                Relu.backward(x, dy, dy);
            } else {
                Log.backward(Mat.of(1, 3, 0.5, 0.25, 2), dy, separate);
                Log.backward(Mat.of(1, 3, 0.5, 0.25, 2), dy, dy);
            }
            assertArrayEquals(separate.toArray(), dy.toArray(), 0.0, layer);
        }
        // softmax's backward too, though each dx mixes its row's dy
        Mat s = Mat.zeros(1, 3);
        Softmax.forward(Mat.of(1, 3, 0.1, 0.2, 0.3), s);
        Mat g = Mat.of(1, 3, 1, -2, 3);
        Mat separate = Mat.zeros(1, 3);
        Softmax.backward(s, g, separate);
        Softmax.backward(s, g, g);
        assertArrayEquals(separate.toArray(), g.toArray(), 0.0);
    }
}
