package io.shardprop.core.model;

import io.shardprop.core.layer.Matmul;
import io.shardprop.core.linalg.Mat;

/**
 * Activations of one forward pass and the buffers of its backward pass, for up to {@code capacity} rows.
 * Allocated once per block size and reused; {@link #topRows(int)} gives a view for a smaller block.
 *
 * @param h    {@code h[l]}: layer {@code l}'s output before its activation, {@code [n x out(l)]};
 *             the last one holds the logits
 * @param r    {@code r[l] = relu(h[l])} for the hidden layers
 * @param s    softmax of the logits (the seed loss only)
 * @param logp log-probabilities, the model's output
 * @param dout backward buffer {@code [n x classes]}: ∂L/∂(logits) when backward is done
 * @param dr   backward buffers, {@code dr[l]}: ∂L/∂r[l], then ∂L/∂h[l] in place
 * @param f32  float32 buffers of the first layer, used when the inputs are float32
 */
public record Trace(Mat[] h, Mat[] r, Mat s, Mat logp, Mat dout, Mat[] dr, Matmul.Scratch32 f32) {

    /** Buffers for batches of up to {@code rows} samples. */
    public static Trace allocate(Layout layout, int rows) {
        int hidden = layout.layers() - 1;
        Mat[] h = new Mat[layout.layers()];
        Mat[] r = new Mat[hidden];
        Mat[] dr = new Mat[hidden];
        for (int l = 0; l < layout.layers(); l++) {
            h[l] = Mat.zeros(rows, layout.out(l));
            if (l < hidden) {
                r[l] = Mat.zeros(rows, layout.out(l));
                dr[l] = Mat.zeros(rows, layout.out(l));
            }
        }
        int c = layout.classes();
        return new Trace(h, r, Mat.zeros(rows, c), Mat.zeros(rows, c), Mat.zeros(rows, c), dr,
                Matmul.Scratch32.allocate(layout.in(0), layout.out(0), rows));
    }

    /**
     * This thread's reusable trace for {@code layout} with at least {@code rows} rows (executor threads serve
     * many blocks and epochs: the buffers are allocated once per thread, not per block).
     */
    public static Trace forThread(Layout layout, int rows) {
        Trace t = THREAD.get();
        if (t == null || t.capacity() < rows || t.h.length != layout.layers() || !fits(t, layout)) {
            t = allocate(layout, rows);
            THREAD.set(t);
        }
        return t;
    }

    private static final ThreadLocal<Trace> THREAD = new ThreadLocal<>();

    private static boolean fits(Trace t, Layout layout) {
        for (int l = 0; l < layout.layers(); l++) {
            if (t.h[l].cols() != layout.out(l)) {
                return false;
            }
        }
        return true;
    }

    /** Number of rows these buffers hold. */
    public int capacity() {
        return logp.rows();
    }

    /** The logits, {@code h[L−1]}. */
    public Mat logits() {
        return h[h.length - 1];
    }

    /** Views of the first {@code n} rows of every buffer (no copy). */
    public Trace topRows(int n) {
        if (n == capacity()) {
            return this;
        }
        return new Trace(top(h, n), top(r, n), s.topRows(n), logp.topRows(n), dout.topRows(n), top(dr, n), f32.topRows(n));
    }

    private static Mat[] top(Mat[] ms, int n) {
        Mat[] out = new Mat[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = ms[i].topRows(n);
        }
        return out;
    }
}
