package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.linalg.Blas;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;

import java.util.function.Consumer;

/**
 * The notebook's {@code train_one_step}, repeated: forward and backward on the whole training set at
 * once, then {@code W −= lr · ∂L/∂W} with the gradient summed over all samples. Deliberately simple: this
 * is the single-process reference the distributed trainer is compared with.
 */
public final class FullBatchTrainer {

    private final Layout layout;
    private final double lr;
    private final int epochs;

    /**
     * @param lr     learning rate on the summed gradient (the notebook: 1e-5)
     * @param epochs number of full-batch steps (the notebook: 50)
     */
    public FullBatchTrainer(Layout layout, double lr, int epochs) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be positive and finite, got " + lr);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.layout = layout;
        this.lr = lr;
        this.epochs = epochs;
    }

    /**
     * Trains {@code params} in place.
     *
     * @param params  the flat parameter vector, modified
     * @param train   the training set
     * @param test    evaluated after every epoch's update; null to skip
     * @param onEpoch receives each epoch's metrics
     */
    public void train(double[] params, Batch train, Batch test, Consumer<EpochMetrics> onEpoch) {
        Trace trace = Trace.allocate(layout, train.size());
        Trace testTrace = test == null ? null : Trace.allocate(layout, test.size());
        double[] grad = new double[layout.paramCount()];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            java.util.Arrays.fill(grad, 0.0);
            Stats stats = Mlp.lossAndGradient(layout, params, train.x(), train.labels(), trace, grad);
            Blas.axpy(params.length, -lr, grad, 0, params, 0);
            double seconds = (System.nanoTime() - start) / 1e9;
            Stats testStats = test == null ? null : Mlp.evaluate(layout, params, test.x(), test.labels(), testTrace);
            onEpoch.accept(new EpochMetrics(epoch, stats.loss(), stats.accuracy(),
                    testStats == null ? Double.NaN : testStats.loss(),
                    testStats == null ? Double.NaN : testStats.accuracy(), seconds));
        }
    }

    /** Loss and accuracy of {@code params} on a data set (forward pass only). */
    public Stats evaluate(double[] params, Batch data) {
        return Mlp.evaluate(layout, params, data.x(), data.labels(), Trace.allocate(layout, data.size()));
    }
}
