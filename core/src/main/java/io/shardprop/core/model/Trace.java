package io.shardprop.core.model;

import io.shardprop.core.linalg.Mat;

/**
 * Activations of one forward pass and the buffers of its backward pass, for up to {@code capacity}
 * rows. Allocated once per block size and reused: {@link #topRows(int)} gives a view for a smaller block.
 *
 * @param h1    {@code x·W1}, {@code [n x hidden]}
 * @param r     {@code relu(h1)}
 * @param h2    {@code r·W2}, {@code [n x classes]}
 * @param s     {@code softmax(h2)}
 * @param logp  {@code log(s + ε)}, the model's output
 * @param dout  backward buffer {@code [n x classes]}: ∂L/∂logp, then ∂L/∂s, then ∂L/∂h2 in place
 * @param dr    backward buffer {@code [n x hidden]}: ∂L/∂r, then ∂L/∂h1 in place
 */
public record Trace(Mat h1, Mat r, Mat h2, Mat s, Mat logp, Mat dout, Mat dr) {

    /** Buffers for batches of up to {@code rows} samples. */
    public static Trace allocate(Layout layout, int rows) {
        return new Trace(Mat.zeros(rows, layout.hidden()), Mat.zeros(rows, layout.hidden()),
                Mat.zeros(rows, layout.classes()), Mat.zeros(rows, layout.classes()),
                Mat.zeros(rows, layout.classes()), Mat.zeros(rows, layout.classes()),
                Mat.zeros(rows, layout.hidden()));
    }

    /** Number of rows these buffers hold. */
    public int capacity() {
        return h1.rows();
    }

    /** Views of the first {@code n} rows of every buffer (no copy). */
    public Trace topRows(int n) {
        if (n == capacity()) {
            return this;
        }
        return new Trace(h1.topRows(n), r.topRows(n), h2.topRows(n), s.topRows(n), logp.topRows(n),
                dout.topRows(n), dr.topRows(n));
    }
}
