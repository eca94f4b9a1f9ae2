package io.shardprop.job.train;

import io.shardprop.core.train.EpochMetrics;

import java.util.Locale;

/** The figures of {@code train}'s epoch line and last line, for a classification or a regression. */
final class EpochLine {

    private EpochLine() {
    }

    /**
     * {@code loss 0.2143  acc 0.9361  test_loss 0.2010  test_acc 0.9410} (a regression: {@code loss, test_rmse, test_mae,
     * test_r2}), then the validation set's figures if it has some.
     */
    static String figures(EpochMetrics m, boolean regression) {
        StringBuilder s = new StringBuilder();
        if (regression) {
            s.append(f("loss %.4f  test_rmse %.4f  test_mae %.4f  test_r2 %.4f", m.trainLoss(), m.get("test_rmse"),
                    m.get("test_mae"), m.get("test_r2")));
        } else {
            s.append(f("loss %.4f  acc %.4f  test_loss %.4f  test_acc %.4f", m.trainLoss(), m.trainAccuracy(),
                    m.testLoss(), m.testAccuracy()));
        }
        return s.append(validation(m, regression)).toString();
    }

    /**
     * A fit's figures (no test set): {@code loss 0.2143  acc 0.9361} (a regression: the loss alone), then the
     * validation set's figures if it has some.
     */
    static String fitFigures(EpochMetrics m, boolean regression) {
        return (regression ? f("loss %.4f", m.trainLoss()) : f("loss %.4f  acc %.4f", m.trainLoss(), m.trainAccuracy()))
                + validation(m, regression);
    }

    /** {@code   val_loss 0.2300  val_acc 0.9310} (a regression: {@code val_rmse, val_r2}), or nothing. */
    private static String validation(EpochMetrics m, boolean regression) {
        if (!m.more().containsKey("val_loss")) {
            return "";
        }
        String best = m.more().containsKey("best_epoch") ? f("  best %d", (int) m.get("best_epoch")) : "";
        return (regression ? f("  val_rmse %.4f  val_r2 %.4f", m.get("val_rmse"), m.get("val_r2"))
                : f("  val_loss %.4f  val_acc %.4f", m.get("val_loss"), m.get("val_accuracy"))) + best;
    }

    /** The last line's figures: the model's test loss and accuracy, or its test RMSE, MAE and R². */
    static String result(EpochMetrics m, boolean regression) {
        return regression
                ? f("test RMSE %.4f  MAE %.4f  R² %.4f", m.get("test_rmse"), m.get("test_mae"), m.get("test_r2"))
                : f("test loss %.4f  test accuracy %.4f", m.testLoss(), m.testAccuracy());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
