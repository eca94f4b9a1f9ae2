package io.shardprop.job.ml;

import io.shardprop.core.data.Block;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.data.Shift;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.train.EpochListener;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.config.Augmentation;
import io.shardprop.job.config.Engine;
import io.shardprop.job.config.LocalStepOptions;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.data.FrameBlocks;
import io.shardprop.job.error.Failure;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.BlasLog;
import io.shardprop.job.model.ModelManifest;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.output.Manifest;
import io.shardprop.job.train.SparkData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Spark ML {@link Estimator} of {@link ShardPropModel}: {@code fit(df)} trains ShardProp's MLP on any
 * DataFrame with a vector {@code features} column and a numeric {@code label} column (integers
 * {@code 0 … k−1}), with the same trainer as {@code train} (blocks cached on the executors, exact sums, local
 * steps between syncs), so it works in a {@code Pipeline} and in {@code CrossValidator} /
 * {@code TrainValidationSplit}. Params that MLPC ({@code MultilayerPerceptronClassifier}) also has keep its
 * names and meanings: {@code layers} (input width, hidden widths, classes), {@code maxIter} (epochs),
 * {@code stepSize} (the learning rate), {@code blockSize} (rows per block, 0 = chosen), {@code seed},
 * {@code initialWeights}, and the column names. When {@code layers} is not set, the input width comes from the
 * data and the class count from the largest label, and the hidden widths from {@code hidden}. The defaults of
 * the rest are {@code train}'s MNIST preset ({@code conf/mnist.properties}) but for {@code shift}: cross-entropy,
 * He initialisation, SGD with momentum 0.9 and weight decay 1e-4, lr 0.2 on a cosine schedule, batches of 256,
 * 2 replicas with 1 sync an epoch, float32 first-layer products, 30 epochs. {@code shift} (the preset's 1: each
 * training image moved by up to a pixel at random, each step) is 0 by default, since the data need not be
 * images; set it (and {@code imageHeight} for images that are not square) for images.
 *
 * <p>Bad data (a missing column, a non-vector features column, a NaN or infinite feature, rows of different
 * widths, a label that is not an integer in range) fails {@code fit} with an {@link IllegalArgumentException}
 * naming the column and the row, before training starts.
 */
public final class ShardPropClassifier extends Estimator<ShardPropModel> implements DefaultParamsWritable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardPropClassifier.class);
    private static final String[] LOSSES = {"xent", "seed"};
    private static final String[] OPTIMIZERS = {"sgd", "momentum", "adam"};
    private static final String[] SCHEDULES = {"constant", "step", "cosine"};
    private static final String[] OUTERS = {"average", "nesterov"};
    private static final String[] INITS = {"he", "xavier", "normal"};
    private static final String[] PRECISIONS = {"float64", "float32"};

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final IntArrayParam layers;
    private final IntArrayParam hidden;
    private final IntParam maxIter;
    private final DoubleParam stepSize;
    private final IntParam blockSize;
    private final LongParam seed;
    private final Param<Vector> initialWeights;
    private final Param<String> loss;
    private final BooleanParam bias;
    private final Param<String> init;
    private final Param<String> optimizer;
    private final DoubleParam momentum;
    private final DoubleParam beta1;
    private final DoubleParam beta2;
    private final DoubleParam weightDecay;
    private final IntParam batchSize;
    private final Param<String> lrSchedule;
    private final IntParam lrStepSize;
    private final DoubleParam lrGamma;
    private final IntParam replicas;
    private final IntParam syncsPerEpoch;
    private final Param<String> outer;
    private final DoubleParam outerLr;
    private final DoubleParam outerMomentum;
    private final Param<String> precision;
    private final IntParam partitions;
    private final IntParam shift;
    private final IntParam imageHeight;

    public ShardPropClassifier() {
        this(Identifiable.randomUID("shardpropc"));
    }

    /** With the given uid (Spark ML's copy and reader use this constructor). */
    public ShardPropClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column: vectors of one width");
        labelCol = new Param<>(this, "labelCol", "label column: integers 0 .. classes - 1");
        predictionCol = new Param<>(this, "predictionCol", "prediction column of the fitted model");
        probabilityCol = new Param<>(this, "probabilityCol", "probability column of the fitted model");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw prediction (log-probabilities) column");
        layers = new IntArrayParam(this, "layers", "sizes of all layers, input width first, classes last; "
                + "unset: from the data and 'hidden'", longerThan(2));
        hidden = new IntArrayParam(this, "hidden", "hidden widths when 'layers' is not set", longerThan(0));
        maxIter = new IntParam(this, "maxIter", "epochs (>= 1)", ParamValidators.gtEq(1));
        stepSize = new DoubleParam(this, "stepSize", "learning rate (> 0)", ParamValidators.gt(0));
        blockSize = new IntParam(this, "blockSize", "rows per block, one matrix product per layer; 0: chosen from "
                + "the batch size", ParamValidators.gtEq(0));
        seed = new LongParam(this, "seed", "seed of the initial weights and the batch order (0 .. 2^32 - 1)",
                ParamValidators.inRange(0, 0xFFFF_FFFFL));
        initialWeights = new Param<>(this, "initialWeights", "initial weights: the flat parameter vector "
                + "[W1 | W2 | b2 | ...] of the layout, row-major");
        loss = new Param<>(this, "loss", "xent (log-softmax cross-entropy, mean) or seed (the notebook's, summed)",
                ParamValidators.inArray(LOSSES));
        bias = new BooleanParam(this, "bias", "bias vectors in the layers after the first");
        init = new Param<>(this, "init", "initial weights: he, xavier or normal", ParamValidators.inArray(INITS));
        optimizer = new Param<>(this, "optimizer", "sgd, momentum or adam", ParamValidators.inArray(OPTIMIZERS));
        momentum = new DoubleParam(this, "momentum", "momentum of 'momentum' in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        beta1 = new DoubleParam(this, "beta1", "Adam's beta1 in [0, 1)", ParamValidators.inRange(0, 1, true, false));
        beta2 = new DoubleParam(this, "beta2", "Adam's beta2 in [0, 1)", ParamValidators.inRange(0, 1, true, false));
        weightDecay = new DoubleParam(this, "weightDecay", "weight decay (>= 0)", ParamValidators.gtEq(0));
        batchSize = new IntParam(this, "batchSize", "rows per step; 0: full batch", ParamValidators.gtEq(0));
        lrSchedule = new Param<>(this, "lrSchedule", "constant, step or cosine", ParamValidators.inArray(SCHEDULES));
        lrStepSize = new IntParam(this, "lrStepSize", "epochs between decays of 'step'", ParamValidators.gtEq(1));
        lrGamma = new DoubleParam(this, "lrGamma", "decay factor of 'step'", ParamValidators.gt(0));
        replicas = new IntParam(this, "replicas", "replicas of local steps", ParamValidators.inRange(1, 4096));
        syncsPerEpoch = new IntParam(this, "syncsPerEpoch", "rounds of local steps per epoch; 0: sync every step",
                ParamValidators.gtEq(0));
        outer = new Param<>(this, "outer", "the driver's update after a round: average or nesterov",
                ParamValidators.inArray(OUTERS));
        outerLr = new DoubleParam(this, "outerLr", "outer learning rate", ParamValidators.gt(0));
        outerMomentum = new DoubleParam(this, "outerMomentum", "outer Nesterov momentum in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        precision = new Param<>(this, "precision", "float64 or float32 inputs of the first layer",
                ParamValidators.inArray(PRECISIONS));
        partitions = new IntParam(this, "partitions", "partitions of the cached blocks; 0: Spark's default "
                + "parallelism", ParamValidators.gtEq(0));
        shift = new IntParam(this, "shift", "move every training image of every step by up to "
                + "this many pixels along each axis, at random; 0: none", ParamValidators.inRange(0, 64));
        imageHeight = new IntParam(this, "imageHeight", "with 'shift': the images' rows (features = rows x "
                + "columns); 0: square images", ParamValidators.gtEq(0));
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(hidden, new int[]{100});
        setDefault(maxIter, 30);
        setDefault(stepSize, 0.2);
        setDefault(blockSize, 0);
        setDefault(seed, 0L);
        setDefault(loss, "xent");
        setDefault(bias, true);
        setDefault(init, "he");
        setDefault(optimizer, "momentum");
        setDefault(momentum, 0.9);
        setDefault(beta1, 0.9);
        setDefault(beta2, 0.999);
        setDefault(weightDecay, 1e-4);
        setDefault(batchSize, 256);
        setDefault(lrSchedule, "cosine");
        setDefault(lrStepSize, 10);
        setDefault(lrGamma, 0.1);
        setDefault(replicas, 2);
        setDefault(syncsPerEpoch, 1);
        setDefault(outer, "average");
        setDefault(outerLr, 1.0);
        setDefault(outerMomentum, 0.9);
        setDefault(precision, "float32");
        setDefault(partitions, 0);
        setDefault(shift, 0);
        setDefault(imageHeight, 0);
    }

    /** The reader that {@code Pipeline.load} and {@link #load(String)} use. */
    public static MLReader<ShardPropClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static ShardPropClassifier load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public ShardPropClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * The model's output schema; checks that {@code featuresCol} is a vector column and {@code labelCol} a
     * numeric one when it is there (a pipeline's transform schema has no label).
     */
    @Override
    public StructType transformSchema(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        String f = value(featuresCol);
        if (!names.contains(f)) {
            throw new IllegalArgumentException("ShardPropClassifier: no column '" + f + "' (columns: "
                    + String.join(", ", names) + ")");
        }
        if (!(schema.apply(f).dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException("ShardPropClassifier: column '" + f + "' is "
                    + schema.apply(f).dataType().simpleString() + ", expected a vector (VectorAssembler makes one)");
        }
        String l = value(labelCol);
        if (names.contains(l) && !(schema.apply(l).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("ShardPropClassifier: column '" + l + "' is "
                    + schema.apply(l).dataType().simpleString() + ", expected numbers");
        }
        return copyValues(new ShardPropModel(uid, null), ParamMap.empty()).transformSchema(schema);
    }

    @Override
    public ShardPropModel fit(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        transformSchema(schema);
        String l = value(labelCol);
        if (!Arrays.asList(schema.fieldNames()).contains(l)) {
            throw new IllegalArgumentException("ShardPropClassifier: no label column '" + l + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        Dataset<Row> df = dataset.toDF();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        BlasLog.driver();
        int[] given = isSet(layers) ? value(layers) : null;
        FrameBlocks.Shape shape;
        try {
            sc.setJobDescription("ShardPropClassifier: check the data");
            shape = FrameBlocks.scan(df, value(featuresCol), l, given != null ? given[given.length - 1] : 0,
                    "ShardPropClassifier");
        } catch (MalformedFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (given != null && given[0] != shape.width()) {
            throw new IllegalArgumentException("ShardPropClassifier: layers[0] is " + given[0] + " but '"
                    + value(featuresCol) + "' has " + shape.width() + " values");
        }
        int classes = given != null ? given[given.length - 1] : Math.max(2, shape.maxLabel() + 1);
        int[] widths = given != null ? Arrays.copyOfRange(given, 1, given.length - 1) : value(hidden);
        TrainConfig cfg = config(widths);
        Shift imageShift;
        try {
            imageShift = cfg.augmentation().on(shape.width());
        } catch (UsageException e) {
            throw new IllegalArgumentException("ShardPropClassifier: " + paramNames(e.getMessage()), e);
        }
        Mlp model = new Mlp(new Layout(shape.width() + 1, widths, classes, cfg.network().bias()),
                cfg.network().loss());
        double[] params = startingWeights(model);
        int slices = value(partitions) > 0 ? value(partitions) : sc.defaultParallelism();
        LOG.info("ShardPropClassifier: {} rows, {} {} loss, {} epochs, blocks of {}, {} partitions",
                shape.rows(), model.layout().describe(), cfg.network().loss().id(), value(maxIter),
                cfg.effectiveBlockSize(), slices);
        sc.setJobDescription("ShardPropClassifier: cache the blocks");
        JavaRDD<Block> blocks;
        try {
            blocks = FrameBlocks.load(df, value(featuresCol), l, shape, cfg.effectiveBlockSize(), slices,
                    cfg.sync().enabled() ? cfg.sync().replicas() : 0, cfg.execution().precision(), "ShardPropClassifier");
        } catch (UsageException e) {
            throw new IllegalArgumentException("ShardPropClassifier: " + e.getMessage().replace("--block-size",
                    "param blockSize"), e);
        }
        SparkData data = new SparkData(sc, blocks, (int) blocks.count(), model);
        try {
            Optimizer opt = cfg.newOptimizer(params.length);
            Trainer trainer = new Trainer(cfg.network().loss(), cfg.schedule(), cfg.optimization().epochs(),
                    cfg.blocksPerStep(), cfg.network().seed());
            if (cfg.sync().enabled()) {
                trainer = trainer.withLocalSteps(cfg.rounds());
            }
            trainer = trainer.withShift(imageShift);
            List<EpochMetrics> epochs = new ArrayList<>();
            int[] syncs = {0};
            train(trainer, params, opt, data, new EpochListener() {
                @Override
                public void onEpoch(EpochMetrics m, double[] p) {
                    epochs.add(m);
                    LOG.info("fit epoch {}/{}  loss {}  acc {}  {} s  {} {}", m.epoch(), cfg.optimization().epochs(),
                            String.format(Locale.ROOT, "%.4f", m.trainLoss()),
                            String.format(Locale.ROOT, "%.4f", m.trainAccuracy()),
                            String.format(Locale.ROOT, "%.2f", m.seconds()), syncs[0], syncs[0] == 1 ? "sync" : "syncs");
                }

                @Override
                public void onStep(int epoch, int step, int steps) {
                    syncs[0] = steps;
                }
            });
            Map<String, ModelManifest.DataFile> source = new LinkedHashMap<>();
            source.put("fit", new ModelManifest.DataFile("a DataFrame", null, (int) shape.rows()));
            Map<String, Object> engine = new LinkedHashMap<>();
            engine.put("engine", "spark (ShardPropClassifier.fit)");
            engine.put("spark", sc.version());
            engine.put("master", sc.master());
            engine.put("partitions", slices);
            ModelManifest manifest = Manifest.of(cfg, model, source, "as given in '" + value(featuresCol) + "'",
                    epochs.get(epochs.size() - 1), opt, engine, params, syncs[0]);
            ShardPropModel fitted = new ShardPropModel(uid + "-model", new SavedModel(model, params, manifest, null));
            copyValues(fitted, ParamMap.empty());
            return fitted.withSummary(new ShardPropSummary(epochs)).setParent(this);
        } finally {
            data.release();
        }
    }

    /** Runs the trainer; a checked failure (Spark's job failures are) becomes an unchecked one with its cause. */
    private static void train(Trainer trainer, double[] params, Optimizer optimizer, SparkData data,
                              EpochListener listener) {
        try {
            trainer.train(params, optimizer, 1, data, null, listener);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ShardPropClassifier.fit: " + Failure.of(e).message(), e);
        }
    }

    /** The train configuration of these params, checked as the CLI checks its options. */
    private TrainConfig config(int[] widths) {
        try {
            return new TrainConfig(new TrainConfig.Inputs(null, null, null, null),
                    new TrainConfig.Network(widths, value(bias), Loss.valueOf(upper(value(loss))), Init.valueOf(upper(value(init))),
                            null, value(seed)),
                    new TrainConfig.Optimization(value(maxIter), value(batchSize), OptimizerKind.valueOf(upper(value(optimizer))),
                            value(stepSize), value(momentum), value(beta1), value(beta2), value(weightDecay),
                            LrSchedule.Kind.valueOf(upper(value(lrSchedule))), value(lrStepSize), value(lrGamma)),
                    new TrainConfig.Execution(Engine.SPARK, Precision.valueOf(upper(value(precision))), value(partitions),
                            value(blockSize)),
                    TrainConfig.Output.NONE,
                    new LocalStepOptions(value(replicas), value(syncsPerEpoch), OuterOptimizer.Kind.valueOf(upper(value(outer))),
                            value(outerLr), value(outerMomentum)),
                    new Augmentation(value(shift), value(imageHeight)));
        } catch (UsageException e) {
            throw new IllegalArgumentException("ShardPropClassifier: " + paramNames(e.getMessage()), e);
        }
    }

    /** A {@code train} message with its options named as these params ({@code --image-height}: param imageHeight). */
    private static String paramNames(String message) {
        return message.replace("--image-height", "--imageHeight").replace("--", "param ");
    }

    private double[] startingWeights(Mlp model) {
        if (!isSet(initialWeights)) {
            return Init.valueOf(upper(value(init))).draw(model.layout(), value(seed));
        }
        double[] w = value(initialWeights).toArray();
        if (w.length != model.layout().paramCount()) {
            throw new IllegalArgumentException("ShardPropClassifier: initialWeights has " + w.length
                    + " values, layout " + model.layout().describe() + " needs " + model.layout().paramCount());
        }
        return w;
    }

    private <T> T value(Param<T> p) {
        return getOrDefault(p);
    }

    private int value(IntParam p) {
        return (Integer) getOrDefault(p);
    }

    private double value(DoubleParam p) {
        return (Double) getOrDefault(p);
    }

    private long value(LongParam p) {
        return (Long) getOrDefault(p);
    }

    private boolean value(BooleanParam p) {
        return (Boolean) getOrDefault(p);
    }

    /** Arrays of at least {@code n + 1} positive sizes. */
    private static scala.Function1<int[], Object> longerThan(int n) {
        return a -> a.length > n && Arrays.stream(a).allMatch(x -> x >= 1);
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public String getFeaturesCol() {
        return value(featuresCol);
    }

    public ShardPropClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public String getLabelCol() {
        return value(labelCol);
    }

    public ShardPropClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public String getPredictionCol() {
        return value(predictionCol);
    }

    public ShardPropClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public String getProbabilityCol() {
        return value(probabilityCol);
    }

    public ShardPropClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public String getRawPredictionCol() {
        return value(rawPredictionCol);
    }

    public ShardPropClassifier setRawPredictionCol(String value) {
        set(rawPredictionCol, value);
        return this;
    }

    public IntArrayParam layers() {
        return layers;
    }

    public int[] getLayers() {
        return value(layers);
    }

    public ShardPropClassifier setLayers(int[] value) {
        set(layers, value);
        return this;
    }

    public IntArrayParam hidden() {
        return hidden;
    }

    public int[] getHidden() {
        return value(hidden);
    }

    public ShardPropClassifier setHidden(int[] value) {
        set(hidden, value);
        return this;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public int getMaxIter() {
        return value(maxIter);
    }

    public ShardPropClassifier setMaxIter(int value) {
        set(maxIter, value);
        return this;
    }

    public DoubleParam stepSize() {
        return stepSize;
    }

    public double getStepSize() {
        return value(stepSize);
    }

    public ShardPropClassifier setStepSize(double value) {
        set(stepSize, value);
        return this;
    }

    public IntParam blockSize() {
        return blockSize;
    }

    public int getBlockSize() {
        return value(blockSize);
    }

    public ShardPropClassifier setBlockSize(int value) {
        set(blockSize, value);
        return this;
    }

    public LongParam seed() {
        return seed;
    }

    public long getSeed() {
        return value(seed);
    }

    public ShardPropClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    public Param<Vector> initialWeights() {
        return initialWeights;
    }

    public Vector getInitialWeights() {
        return value(initialWeights);
    }

    public ShardPropClassifier setInitialWeights(Vector value) {
        set(initialWeights, value);
        return this;
    }

    public Param<String> loss() {
        return loss;
    }

    public String getLoss() {
        return value(loss);
    }

    public ShardPropClassifier setLoss(String value) {
        set(loss, value);
        return this;
    }

    public BooleanParam bias() {
        return bias;
    }

    public boolean getBias() {
        return value(bias);
    }

    public ShardPropClassifier setBias(boolean value) {
        set(bias, value);
        return this;
    }

    public Param<String> init() {
        return init;
    }

    public String getInit() {
        return value(init);
    }

    public ShardPropClassifier setInit(String value) {
        set(init, value);
        return this;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public String getOptimizer() {
        return value(optimizer);
    }

    public ShardPropClassifier setOptimizer(String value) {
        set(optimizer, value);
        return this;
    }

    public DoubleParam momentum() {
        return momentum;
    }

    public double getMomentum() {
        return value(momentum);
    }

    public ShardPropClassifier setMomentum(double value) {
        set(momentum, value);
        return this;
    }

    public DoubleParam beta1() {
        return beta1;
    }

    public double getBeta1() {
        return value(beta1);
    }

    public ShardPropClassifier setBeta1(double value) {
        set(beta1, value);
        return this;
    }

    public DoubleParam beta2() {
        return beta2;
    }

    public double getBeta2() {
        return value(beta2);
    }

    public ShardPropClassifier setBeta2(double value) {
        set(beta2, value);
        return this;
    }

    public DoubleParam weightDecay() {
        return weightDecay;
    }

    public double getWeightDecay() {
        return value(weightDecay);
    }

    public ShardPropClassifier setWeightDecay(double value) {
        set(weightDecay, value);
        return this;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public int getBatchSize() {
        return value(batchSize);
    }

    public ShardPropClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public Param<String> lrSchedule() {
        return lrSchedule;
    }

    public String getLrSchedule() {
        return value(lrSchedule);
    }

    public ShardPropClassifier setLrSchedule(String value) {
        set(lrSchedule, value);
        return this;
    }

    public IntParam lrStepSize() {
        return lrStepSize;
    }

    public int getLrStepSize() {
        return value(lrStepSize);
    }

    public ShardPropClassifier setLrStepSize(int value) {
        set(lrStepSize, value);
        return this;
    }

    public DoubleParam lrGamma() {
        return lrGamma;
    }

    public double getLrGamma() {
        return value(lrGamma);
    }

    public ShardPropClassifier setLrGamma(double value) {
        set(lrGamma, value);
        return this;
    }

    public IntParam replicas() {
        return replicas;
    }

    public int getReplicas() {
        return value(replicas);
    }

    public ShardPropClassifier setReplicas(int value) {
        set(replicas, value);
        return this;
    }

    public IntParam syncsPerEpoch() {
        return syncsPerEpoch;
    }

    public int getSyncsPerEpoch() {
        return value(syncsPerEpoch);
    }

    public ShardPropClassifier setSyncsPerEpoch(int value) {
        set(syncsPerEpoch, value);
        return this;
    }

    public IntParam shift() {
        return shift;
    }

    public int getShift() {
        return value(shift);
    }

    public ShardPropClassifier setShift(int value) {
        set(shift, value);
        return this;
    }

    public IntParam imageHeight() {
        return imageHeight;
    }

    public int getImageHeight() {
        return value(imageHeight);
    }

    public ShardPropClassifier setImageHeight(int value) {
        set(imageHeight, value);
        return this;
    }

    public Param<String> outer() {
        return outer;
    }

    public String getOuter() {
        return value(outer);
    }

    public ShardPropClassifier setOuter(String value) {
        set(outer, value);
        return this;
    }

    public DoubleParam outerLr() {
        return outerLr;
    }

    public double getOuterLr() {
        return value(outerLr);
    }

    public ShardPropClassifier setOuterLr(double value) {
        set(outerLr, value);
        return this;
    }

    public DoubleParam outerMomentum() {
        return outerMomentum;
    }

    public double getOuterMomentum() {
        return value(outerMomentum);
    }

    public ShardPropClassifier setOuterMomentum(double value) {
        set(outerMomentum, value);
        return this;
    }

    public Param<String> precision() {
        return precision;
    }

    public String getPrecision() {
        return value(precision);
    }

    public ShardPropClassifier setPrecision(String value) {
        set(precision, value);
        return this;
    }

    public IntParam partitions() {
        return partitions;
    }

    public int getPartitions() {
        return value(partitions);
    }

    public ShardPropClassifier setPartitions(int value) {
        set(partitions, value);
        return this;
    }
}
