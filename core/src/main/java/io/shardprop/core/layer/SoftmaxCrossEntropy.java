package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * Fused log-softmax cross-entropy, numerically stable: {@code logp_j = h_j − m − log Σ_k exp(h_k − m)} with
 * {@code m = max_k h_k}, loss {@code −logp[y]} per row; backward {@code dh = p − onehot(y)} with
 * {@code p = exp(logp)}, scaled by the upstream {@code dL}. Unlike the notebook's Softmax → Log(x + ε), no
 * sample's gradient vanishes when its probability underflows.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /** Row-wise log-softmax of {@code h [n x c]} into {@code logp} (modified; may be {@code h}). */
    public static void forward(Mat h, Mat logp) {
        Shapes.same("SoftmaxCrossEntropy", h, logp);
        int c = h.cols();
        double[] in = h.data();
        double[] out = logp.data();
        for (int i = 0; i < h.rows(); i++) {
            int hi = h.offset() + i * c;
            int oi = logp.offset() + i * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, in[hi + j]);
            }
            double sum = 0.0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(in[hi + j] - max);
            }
            double shift = max + Math.log(sum);
            for (int j = 0; j < c; j++) {
                out[oi + j] = in[hi + j] - shift;
            }
        }
    }

    /**
     * {@code dh = dL · (exp(logp) − onehot(labels))}: the gradient of {@code dL · Σ_i −logp[i, y_i]}.
     * {@code dh} modified (may be {@code logp}).
     */
    public static void backward(Mat logp, int[] labels, double dL, Mat dh) {
        backward(logp, labels, dL, null, dh);
    }

    /**
     * {@code dh_i = w_i · (exp(logp_i) − onehot(y_i))}: the gradient of {@code Σ_i w_i · −logp[i, y_i]}; {@code w}
     * null for weight 1. {@code dh} modified (may be {@code logp}).
     */
    public static void backward(Mat logp, int[] labels, double[] w, Mat dh) {
        backward(logp, labels, 1.0, w, dh);
    }

    private static void backward(Mat logp, int[] labels, double dL, double[] w, Mat dh) {
        Shapes.same("SoftmaxCrossEntropy", logp, dh);
        int c = logp.cols();
        double[] in = logp.data();
        double[] out = dh.data();
        for (int i = 0; i < logp.rows(); i++) {
            int li = logp.offset() + i * c;
            int oi = dh.offset() + i * c;
            double scale = w == null ? dL : dL * w[i];
            for (int j = 0; j < c; j++) {
                out[oi + j] = scale * (Math.exp(in[li + j]) - (j == labels[i] ? 1.0 : 0.0));
            }
        }
    }
}
