package io.shardprop.core.check;

import io.shardprop.core.data.Batch;
import io.shardprop.core.layer.Bias;
import io.shardprop.core.layer.Gelu;
import io.shardprop.core.layer.Huber;
import io.shardprop.core.layer.LeakyRelu;
import io.shardprop.core.layer.Sigmoid;
import io.shardprop.core.layer.SquaredError;
import io.shardprop.core.layer.Tanh;
import io.shardprop.core.layer.Log;
import io.shardprop.core.layer.Matmul;
import io.shardprop.core.layer.Relu;
import io.shardprop.core.layer.Softmax;
import io.shardprop.core.layer.SoftmaxCrossEntropy;
import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Central finite differences against the hand-written backward passes, in double precision:
 * {@code n_i = (L(w + ε·e_i) − L(w − ε·e_i)) / 2ε} compared with the analytic {@code a_i} by the relative
 * error {@code |a_i − n_i| / (|a_i| + |n_i|)}, counted as 0 when {@code |a_i − n_i| ≤ 1e-10} (both are then
 * numerically zero). A layer {@code y = f(x)} is checked through the scalar {@code L = Σ R ⊙ f(x)} with a
 * random {@code R}, whose gradient {@code dy = R} is what backward receives.
 */
public final class GradientCheck {

    /** Step of the central difference: near (machine ε)^(1/3), balancing truncation and rounding error. */
    public static final double EPS = 1e-5;
    /** Differences this small are agreement, whatever their ratio. */
    public static final double ABSOLUTE_FLOOR = 1e-10;

    /** Outcome for one gradient: how many entries were compared and the worst relative error. */
    public record Result(String name, int entries, double maxRelativeError) {
        public boolean passes(double tolerance) {
            return maxRelativeError <= tolerance;
        }

        @Override
        public String toString() {
            return String.format("%-22s %6d entries  max relative error %.3e", name, entries, maxRelativeError);
        }
    }

    private GradientCheck() {
    }

    /**
     * Compares {@code analytic} with central differences of {@code loss} at {@code w}. {@code w} is
     * perturbed in place one entry at a time and restored.
     */
    public static Result compare(String name, double[] w, double[] analytic, ToDoubleFunction<double[]> loss) {
        return compare(name, w, analytic, EPS, loss);
    }

    /** As {@link #compare(String, double[], double[], ToDoubleFunction)} with step {@code eps}. */
    public static Result compare(String name, double[] w, double[] analytic, double eps, ToDoubleFunction<double[]> loss) {
        double worst = 0.0;
        for (int i = 0; i < w.length; i++) {
            double saved = w[i];
            w[i] = saved + eps;
            double plus = loss.applyAsDouble(w);
            w[i] = saved - eps;
            double minus = loss.applyAsDouble(w);
            w[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            double diff = Math.abs(analytic[i] - numeric);
            if (diff > ABSOLUTE_FLOOR) {
                worst = Math.max(worst, diff / (Math.abs(analytic[i]) + Math.abs(numeric)));
            }
        }
        return new Result(name, w.length, worst);
    }

    /** Every layer alone and the whole model, on small random inputs drawn from {@code seed}. */
    public static List<Result> all(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Result> results = new ArrayList<>();
        results.addAll(matmul(rnd));
        results.add(relu(rnd));
        results.add(leakyRelu(rnd));
        results.add(elementwise("Tanh dx", rnd, random(rnd, 5, 6, -2, 2), Tanh::forward,
                fromOutput(Tanh::forward, Tanh::backward)));
        results.add(elementwise("Sigmoid dx", rnd, random(rnd, 5, 6, -3, 3), Sigmoid::forward,
                fromOutput(Sigmoid::forward, Sigmoid::backward)));
        results.add(elementwise("Gelu dx", rnd, random(rnd, 5, 6, -3, 3), Gelu::forward, Gelu::backward));
        results.add(softmax(rnd));
        results.add(log(rnd));
        results.add(bias(rnd));
        results.add(crossEntropy(rnd));
        results.add(regressionLoss(rnd, "SquaredError dy", Loss.SQUARED));
        results.add(regressionLoss(rnd, "Huber dy", Loss.HUBER));
        results.add(model(rnd, "Mlp seed 6-5-4", new Mlp(new Layout(6, new int[]{5}, 4, false), Loss.SEED)));
        results.add(model(rnd, "Mlp xent 6-5-3-4 +bias", new Mlp(new Layout(6, new int[]{5, 3}, 4, true), Loss.XENT)));
        for (Activation a : Activation.values()) {
            if (a != Activation.RELU) {
                results.add(model(rnd, "Mlp xent " + a.id() + " weighted", new Mlp(new Layout(6, new int[]{5, 3}, 4, true),
                        Loss.XENT, a), true));
            }
        }
        results.add(model(rnd, "Mlp seed weighted", new Mlp(new Layout(6, new int[]{5}, 4, false), Loss.SEED), true));
        results.add(model(rnd, "Mlp squared 6-5-2 tanh", new Mlp(new Layout(6, new int[]{5}, 2, true), Loss.SQUARED,
                Activation.TANH), true));
        results.add(model(rnd, "Mlp huber 6-5-1", new Mlp(new Layout(6, new int[]{5}, 1, true), Loss.HUBER), true));
        return results;
    }

    /**
     * Step for float32 products. A Matmul is linear in W, so a large step has no truncation error, and it
     * must be large: the forward's own float32 rounding (about 1e-7 of the loss) is divided by the step.
     */
    public static final double EPS32 = 0.25;

    /**
     * The float32 first-layer Matmul of {@code --precision float32}: its dW against central differences of its
     * own float32 forward (the loss is linear in W, so the differences are exact but for float32 rounding).
     */
    public static Result matmul32(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FMat x = FMat.of(random(rnd, 5, 6, -1, 1));
        Mat w = random(rnd, 6, 4, -1, 1);
        Mat r = random(rnd, 5, 4, -1, 1);
        Matmul.Scratch32 s = Matmul.Scratch32.allocate(6, 4, 5);
        Mat dW = Mat.zeros(6, 4);
        Matmul.weightGradient(x, w, r, dW, s);
        return compare("Matmul float32 dW", w.data(), dW.data(), EPS32, ws -> {
            Mat h = Mat.zeros(5, 4);
            Matmul.forward(x, new Mat(ws, 0, 6, 4), h, s);
            return dot(r, h);
        });
    }

    static List<Result> matmul(SplittableRandom rnd) {
        Mat x = random(rnd, 5, 6, -1, 1);
        Mat w = random(rnd, 6, 4, -1, 1);
        Mat r = random(rnd, 5, 4, -1, 1);
        Mat dW = Mat.zeros(6, 4);
        Mat dx = Mat.zeros(5, 6);
        Matmul.backward(x, w, r, dW, dx);
        Result forX = compare("Matmul dx", x.data(), dx.data(), xs -> {
            Mat h = Mat.zeros(5, 4);
            Matmul.forward(new Mat(xs, 0, 5, 6), w, h);
            return dot(r, h);
        });
        Result forW = compare("Matmul dW", w.data(), dW.data(), ws -> {
            Mat h = Mat.zeros(5, 4);
            Matmul.forward(x, new Mat(ws, 0, 6, 4), h);
            return dot(r, h);
        });
        return List.of(forX, forW);
    }

    static Result relu(SplittableRandom rnd) {
        return elementwise("Relu dx", rnd, awayFromZero(rnd), Relu::forward, Relu::backward);
    }

    static Result leakyRelu(SplittableRandom rnd) {
        return elementwise("LeakyRelu dx", rnd, awayFromZero(rnd), LeakyRelu::forward, LeakyRelu::backward);
    }

    /** Random inputs at least 0.1 from 0, away from a (leaky) ReLU's kink. */
    private static Mat awayFromZero(SplittableRandom rnd) {
        Mat x = random(rnd, 5, 6, -1, 1);
        for (int i = 0; i < x.size(); i++) {
            double v = x.data()[i];
            x.data()[i] = Math.copySign(0.1 + Math.abs(v), v);
        }
        return x;
    }

    /**
     * A regression loss through its own sum {@code Σ_i w_i ℓ_i} with random row weights, against the outputs (the
     * Huber targets placed so that residuals fall on both sides of δ, away from it).
     */
    static Result regressionLoss(SplittableRandom rnd, String name, Loss loss) {
        Mlp m = new Mlp(new Layout(2, new int[]{1}, 3, false), loss);
        Mat y = random(rnd, 5, 3, -2, 2);
        double[] t = new double[15];
        for (int i = 0; i < t.length; i++) {
            double r = rnd.nextBoolean() ? rnd.nextDouble(0.1, 0.8) : rnd.nextDouble(1.2, 2.4);
            t[i] = y.data()[i] - (rnd.nextBoolean() ? r : -r);
        }
        double[] w = random(rnd, 1, 5, 0, 2).data();
        Mat dy = Mat.zeros(5, 3);
        if (loss == Loss.HUBER) {
            Huber.backward(y, t, w, dy);
        } else {
            SquaredError.backward(y, t, w, dy);
        }
        return compare(name, y.data(), dy.data(), ys -> {
            Mat out = new Mat(ys, 0, 5, 3);
            double sum = 0;
            for (int i = 0; i < 5; i++) {
                sum += w[i] * (loss == Loss.HUBER ? Huber.rowLoss(out, t, i) : SquaredError.rowLoss(out, t, i));
            }
            return sum;
        });
    }

    static Result softmax(SplittableRandom rnd) {
        Mat x = random(rnd, 5, 6, -3, 3);
        Mat r = random(rnd, 5, 6, -1, 1);
        Mat s = Mat.zeros(5, 6);
        Softmax.forward(x, s);
        Mat dx = Mat.zeros(5, 6);
        Softmax.backward(s, r, dx);
        return compare("Softmax dx", x.data(), dx.data(), xs -> {
            Mat out = Mat.zeros(5, 6);
            Softmax.forward(new Mat(xs, 0, 5, 6), out);
            return dot(r, out);
        });
    }

    static Result log(SplittableRandom rnd) {
        return elementwise("Log dx", rnd, random(rnd, 5, 6, 0.2, 2), Log::forward, Log::backward);
    }

    static Result bias(SplittableRandom rnd) {
        Mat h = random(rnd, 5, 4, -1, 1);
        Mat b = random(rnd, 1, 4, -1, 1);
        Mat r = random(rnd, 5, 4, -1, 1);
        Mat db = Mat.zeros(1, 4);
        Bias.backward(r, db);
        return compare("Bias db", b.data(), db.data(), bs -> {
            Mat y = new Mat(h.toArray(), 0, 5, 4);
            Bias.forward(new Mat(bs, 0, 1, 4), y);
            return dot(r, y);
        });
    }

    /** The fused layer through its own loss {@code Σ_i −logp[i, y_i]}. */
    static Result crossEntropy(SplittableRandom rnd) {
        Mat h = random(rnd, 5, 6, -3, 3);
        int[] labels = rnd.ints(5, 0, 6).toArray();
        Mat logp = Mat.zeros(5, 6);
        SoftmaxCrossEntropy.forward(h, logp);
        Mat dh = Mat.zeros(5, 6);
        SoftmaxCrossEntropy.backward(logp, labels, 1.0, dh);
        return compare("SoftmaxCrossEntropy dh", h.data(), dh.data(), hs -> {
            Mat out = Mat.zeros(5, 6);
            SoftmaxCrossEntropy.forward(new Mat(hs, 0, 5, 6), out);
            double loss = 0;
            for (int i = 0; i < 5; i++) {
                loss -= out.get(i, labels[i]);
            }
            return loss;
        });
    }

    /** The whole chain, loss {@code Σ_i −logp[i, y_i]}, against every parameter. */
    static Result model(SplittableRandom rnd, String name, Mlp model) {
        return model(rnd, name, model, false);
    }

    /**
     * The whole chain, loss {@code Σ_i w_i ℓ_i} (labels, or real targets for a regression loss; weights random in
     * {@code [0.5, 2)} if {@code weighted}, else 1), against every parameter.
     */
    static Result model(SplittableRandom rnd, String name, Mlp model, boolean weighted) {
        Layout layout = model.layout();
        int n = 5;
        Mat x;
        double[] params;
        Trace t = Trace.allocate(layout, n);
        do { // redraw until no hidden pre-activation is within reach of the ReLU kink
            x = random(rnd, n, layout.inputs(), -1, 1);
            for (int i = 0; i < n; i++) {
                x.set(i, layout.inputs() - 1, 1.0);
            }
            params = random(rnd, 1, layout.paramCount(), -1, 1).data();
            model.forward(params, x, t);
        } while ((model.activation() == Activation.RELU || model.activation() == Activation.LEAKY_RELU)
                && minHidden(t) < 1e-3);
        Batch data = model.loss().regression()
                ? Batch.regression(x, random(rnd, 1, n * layout.classes(), -2, 2).data())
                : new Batch(x, rnd.ints(n, 0, layout.classes()).toArray());
        if (weighted) {
            data = data.withWeights(random(rnd, 1, n, 0.5, 2).data());
        }
        double[] grad = new double[layout.paramCount()];
        model.lossAndGradient(params, data, t, grad);
        Batch d = data;
        return compare(name, params, grad, p -> model.evaluate(p, d, Trace.allocate(layout, n)).lossSum());
    }

    private static double minHidden(Trace t) {
        double min = Double.POSITIVE_INFINITY;
        for (int l = 0; l < t.h().length - 1; l++) {
            min = Math.min(min, minAbs(t.h()[l]));
        }
        return min;
    }

    /** The backward of a layer whose backward reads its output {@code y}: forward first, then backward from it. */
    private static Backward fromOutput(Forward forward, Backward fromY) {
        return (x, dy, dx) -> {
            Mat y = Mat.zeros(x.rows(), x.cols());
            forward.apply(x, y);
            fromY.apply(y, dy, dx);
        };
    }

    private interface Forward {
        void apply(Mat x, Mat y);
    }

    private interface Backward {
        void apply(Mat x, Mat dy, Mat dx);
    }

    private static Result elementwise(String name, SplittableRandom rnd, Mat x, Forward f, Backward b) {
        Mat r = random(rnd, x.rows(), x.cols(), -1, 1);
        Mat dx = Mat.zeros(x.rows(), x.cols());
        b.apply(x, r, dx);
        return compare(name, x.data(), dx.data(), xs -> {
            Mat y = Mat.zeros(x.rows(), x.cols());
            f.apply(new Mat(xs, 0, x.rows(), x.cols()), y);
            return dot(r, y);
        });
    }

    private static Mat random(SplittableRandom rnd, int rows, int cols, double lo, double hi) {
        Mat m = Mat.zeros(rows, cols);
        for (int i = 0; i < m.size(); i++) {
            m.data()[i] = rnd.nextDouble(lo, hi);
        }
        return m;
    }

    private static double dot(Mat a, Mat b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.data()[a.offset() + i] * b.data()[b.offset() + i];
        }
        return s;
    }

    private static double minAbs(Mat m) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < m.size(); i++) {
            min = Math.min(min, Math.abs(m.data()[m.offset() + i]));
        }
        return min;
    }
}
