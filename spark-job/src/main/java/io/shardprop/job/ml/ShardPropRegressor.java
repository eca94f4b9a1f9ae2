package io.shardprop.job.ml;

import io.shardprop.core.model.Init;
import io.shardprop.core.model.Loss;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.train.TrainWorkflow;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * MLP regression for Spark ML, which has none (SPARK-10409): {@code fit(df)} trains ShardProp's MLP on a vector
 * {@code features} column and a {@code label} column of real targets (a number, or a vector or an array of numbers:
 * a model of that many outputs, whose {@code prediction} is a vector), with linear outputs and the
 * hand-written squared-error loss ({@code loss} {@code "squared"}, the default) or Huber loss ({@code "huber"}),
 * through {@code train}'s own workflow: exact sums, local steps, row weights ({@code weightCol}), a validation set
 * and early stopping ({@code validationIndicatorCol}, {@code earlyStoppingPatience}), as {@link ShardPropEstimator}.
 *
 * <p>The targets are standardized for training ({@code targetScaling} {@code "standardize"}, the default: the
 * training targets' mean and standard deviation, weighted, from exact sums), and both are folded into the last
 * layer when training ends, so the model predicts in the targets' own units and {@code model.json} records the
 * scaling. Its defaults are {@code ShardPropClassifier}'s (the MNIST preset's) but for the optimizer: Adam, step size
 * 0.003, batches of 64, 200 epochs, Xavier's initialisation.
 */
public final class ShardPropRegressor extends ShardPropEstimator<ShardPropRegressionModel, ShardPropRegressor> {

    /**
     * The regressor's own defaults where the classifier's (momentum at 0.2, tuned for a cross-entropy whose gradient
     * is bounded) would diverge on a squared error: Adam at this learning rate, batches of 64, 200 epochs; and Xavier's
     * initialisation, which suits tanh and sigmoid layers too (He's saturates them).
     */
    static final double DEFAULT_LR = 0.003;
    static final int DEFAULT_BATCH = 64;
    static final int DEFAULT_EPOCHS = 200;

    public ShardPropRegressor() {
        this(Identifiable.randomUID("shardpropr"));
    }

    /** With the given uid (Spark ML's copy and reader use this constructor). */
    public ShardPropRegressor(String uid) {
        super(uid, "label column: real targets");
        defaultOption(TrainOptions.LOSS, Loss.SQUARED);
        defaultOption(TrainOptions.OPTIMIZER, OptimizerKind.ADAM);
        defaultOption(TrainOptions.LR, DEFAULT_LR);
        defaultOption(TrainOptions.BATCH_SIZE, DEFAULT_BATCH);
        defaultOption(TrainOptions.EPOCHS, DEFAULT_EPOCHS);
        defaultOption(TrainOptions.INIT, Init.XAVIER);
    }

    /** The reader that {@code Pipeline.load} and {@link #load(String)} use. */
    public static MLReader<ShardPropRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static ShardPropRegressor load(String path) {
        return read().load(path);
    }

    @Override
    protected List<Param<?>> ownParams() {
        return List.of();
    }

    /**
     * The model's output schema (the input plus {@code predictionCol}: a double, or a vector when the label is a
     * vector or an array of several targets), the columns checked.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        checkColumns(schema, true);
        String label = getLabelCol();
        boolean several = Arrays.asList(schema.fieldNames()).contains(label)
                && severalTargets(schema.apply(label).dataType());
        return copyValues(new ShardPropRegressionModel(uid(), null), ParamMap.empty()).withPrediction(schema, several);
    }

    @Override
    public ShardPropRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        OptionValues options = options();
        if (!options.get(TrainOptions.LOSS).regression()) {
            throw new IllegalArgumentException("ShardPropRegressor: loss " + options.get(TrainOptions.LOSS).id()
                    + " is a classification loss (squared or huber here)");
        }
        TrainWorkflow.Fitted fitted = fitted(dataset, 0, 0, null, true, options);
        ShardPropRegressionModel model = new ShardPropRegressionModel(uid() + "-model",
                new SavedModel(fitted.model(), fitted.params(), fitted.manifest(), null));
        copyValues(model, ParamMap.empty());
        return model.withSummary(new ShardPropSummary(fitted.epochs())).setParent(this);
    }
}
