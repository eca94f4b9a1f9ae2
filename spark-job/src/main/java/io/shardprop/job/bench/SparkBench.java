package io.shardprop.job.bench;

import io.shardprop.core.data.Block;
import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OptimizerSpec;
import io.shardprop.core.optim.Sgd;
import io.shardprop.core.train.GradientSums;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.core.train.GradientSource;
import io.shardprop.core.train.LocalSteps;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.data.Aggregation;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.SparkRun;
import io.shardprop.job.model.ModelFiles;
import io.shardprop.job.train.SparkData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench}: in one SparkSession, times (a) ShardProp's full-batch seed epoch on the cached MNIST
 * blocks, (b) the same with two tiny blocks (what Spark itself costs per step: broadcast, scheduling,
 * aggregation), and (c) MLlib's {@code MultilayerPerceptronClassifier} with {@code solver=gd} and the same
 * layers on the same cached data (its marginal cost per iteration, from fits of 1 and of --run-epochs iterations).
 * Prints the figures and writes them as JSON. A benchmark, not a test: nothing is asserted.
 */
public final class SparkBench {

    /** What to run: the {@code bench} command's options ({@code cli.BenchCommand}). */
    public record Settings(String data, int epochs, int blockSize, int partitions, boolean mlpc, String json,
                           String localMetrics, double runSeconds, double runSecondsFloat32, int runEpochs,
                           int fitIterations, int fitEpochs) {
    }



    private final Settings settings;

    public SparkBench(Settings settings) {
        this.settings = settings;
    }

    /** Runs the benchmark; returns the exit code (0). */
    public int run() throws Exception {
        if (settings.epochs() < 1 || settings.blockSize() < 1 || settings.partitions() < 0
                || settings.fitIterations() < 0 || settings.fitEpochs() < 0) {
            throw new UsageException("--epochs and --block-size must be positive, --partitions, --fit-iterations "
                    + "and --fit-epochs ≥ 0");
        }
        HadoopFs fs = HadoopFs.beforeSpark();
        String[] names = {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS};
        String[] uris = new String[4];
        for (int i = 0; i < 4; i++) {
            uris[i] = MnistFiles.inDir(fs, settings.data(), names[i]);
        }
        MnistFiles files = MnistFiles.open(fs, new String[]{"--data", "--data", "--data", "--data"}, uris);
        long t0 = System.nanoTime();
        SparkSession spark = SparkRun.session("ShardProp bench");
        double sparkStart = secondsSince(t0);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parts = settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism();
        Mlp model = Mlp.seed(100);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("blas", Blas.info().summary());
        out.put("master", sc.master());
        out.put("partitions", parts);
        out.put("block_size", settings.blockSize());
        out.put("epochs_timed", settings.epochs());
        out.put("spark_start_seconds", sparkStart);

        long load = System.nanoTime();
        SparkData train = SparkData.load(sc, files.trainImages(), files.trainLabels(), settings.blockSize(), parts,
                model, Precision.FLOAT64, "bench");
        out.put("load_seconds", secondsSince(load));
        long cached = cachedBytes(sc, train);
        out.put("cached_blocks_bytes", cached);
        out.put("cached_blocks_vs_raw_float64", (double) cached / ((long) files.trainImages().count() * 785 * 8));
        out.put("shardprop_epoch", summary(time(model, train, null, settings.epochs())));
        SparkData test = SparkData.load(sc, files.testImages(), files.testLabels(), settings.blockSize(), parts, model,
                Precision.FLOAT64, "bench test");
        out.put("shardprop_epoch_with_test", summary(time(model, train, test, settings.epochs())));
        test.release();
        out.put("fixed_cost", fixedCost(sc, model, train, settings.epochs()));
        out.put("block_profile_one_core", BlockProfile.of(train.rdd().first()));
        out.put("gemm_floor", GemmFloor.of(train.rdd()));
        out.put("task_result", taskResult(model, train.rdd()));

        JavaRDD<Block> tiny = train.rdd().filter(b -> b.index() < 2)
                .map(b -> new Block(b.index(), b.first(), Block.split(b.data(), 8).get(0).data()))
                .repartition(parts).persist(StorageLevel.MEMORY_ONLY());
        tiny.count();
        SparkData tinyData = new SparkData(sc, tiny, 2, model);
        out.putAll(syncCosts(sc, model, tiny, tinyData, Math.max(4 * settings.epochs(), 40)));
        tiny.unpersist(false);

        SparkData bytes = SparkData.load(sc, files.trainImages(), files.trainLabels(), settings.blockSize(), parts,
                model, Precision.FLOAT64, true, "bench bytes");
        out.put("gemm_floor_bytes", GemmFloor.of(bytes.rdd(), true));
        if (settings.mlpc()) {
            Map<String, Object> m = mlpc(spark, train.rdd(), model, bytes);
            out.put("shardprop_epoch_bytes", m.remove("shardprop_epoch_bytes"));
            out.put("mlpc", m);
        } else {
            out.put("shardprop_epoch_bytes", summary(time(model, bytes, null, settings.epochs())));
        }
        bytes.release();
        train.release();
        if (settings.mlpc() && settings.fitIterations() > 0) {
            out.put("fit", FitComparison.of(spark, files, settings.fitIterations(), settings.fitEpochs()));
        }

        SparkData train32 = SparkData.load(sc, files.trainImages(), files.trainLabels(), settings.blockSize(), parts,
                model, Precision.FLOAT32, "bench float32");
        out.put("cached_blocks_float32_bytes", cachedBytes(sc, train32));
        out.put("shardprop_float32_epoch", summary(time(model, train32, null, settings.epochs())));
        out.put("block_profile_float32_one_core", BlockProfile.of(train32.rdd().first()));
        out.put("deformation_cost_one_core", DeformationCost.of(train32.rdd().first()));
        out.put("gemm_floor_float32", GemmFloor.of(train32.rdd()));
        train32.release();
        if (settings.localMetrics() != null) {
            out.put("core_single_process_epoch", summary(BlasBench.epochSeconds(settings.localMetrics())));
        }
        if (!Double.isNaN(settings.runSeconds())) {
            out.put("shardprop_run_seconds", Map.of("epochs", settings.runEpochs(),
                    "wall_seconds", settings.runSeconds()));
        }
        if (!Double.isNaN(settings.runSecondsFloat32())) {
            out.put("shardprop_float32_run_seconds", Map.of("epochs", settings.runEpochs(),
                    "wall_seconds", settings.runSecondsFloat32()));
        }
        String text = ModelFiles.JSON.writeValueAsString(out);
        System.out.println(Table.render(out));
        if (settings.json() != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(settings.json()), text + "\n");
        }
        return 0;
    }

    /** Memory and disk taken by the cached blocks. */
    private static long cachedBytes(JavaSparkContext sc, SparkData data) {
        for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == data.rdd().id()) {
                return info.memSize() + info.diskSize();
            }
        }
        return -1;
    }

    /**
     * The fixed cost of a full-batch training step, {@code a} in {@code seconds = a + b·rows}, from steps on
     * the training set and on it four times over (each block also under three more indices, sharing its
     * cached data, so no more memory): {@code a = (4·t₁ − t₄)/3}, {@code b = (t₄ − t₁)/(3·rows)}. The two
     * kinds of step alternate, after two warm-ups each, so that a VM changing speed shifts both alike; the
     * fit is given from the medians and from the fastest of each.
     */
    private static Map<String, Object> fixedCost(JavaSparkContext sc, Mlp model, SparkData train, int epochs)
            throws Exception {
        int n = train.blocks();
        JavaRDD<Block> four = train.rdd().flatMap(b -> List.of(b,
                new Block(b.index() + n, b.first(), b.data()), new Block(b.index() + 2 * n, b.first(), b.data()),
                new Block(b.index() + 3 * n, b.first(), b.data())).iterator()).persist(StorageLevel.MEMORY_ONLY());
        four.count();
        SparkData fourFold = new SparkData(sc, four, 4 * n, model);
        long rows = train.rdd().map(b -> (long) b.data().size()).reduce(Long::sum);
        double[] params = Init.NORMAL.draw(model.layout(), 0);
        double[] grad = new double[params.length];
        int steps = Math.max(epochs, 8);
        double[] one = new double[steps];
        double[] four4 = new double[steps];
        for (int i = -2; i < steps; i++) {
            long t = System.nanoTime();
            train.lossAndGradient(params, allBlocks(n), grad);
            double s1 = secondsSince(t);
            t = System.nanoTime();
            fourFold.lossAndGradient(params, allBlocks(4 * n), grad);
            double s4 = secondsSince(t);
            if (i >= 0) {
                one[i] = s1;
                four4[i] = s4;
            }
        }
        four.unpersist(false);
        double m1 = median(one);
        double m4 = median(four4);
        double b1 = Arrays.stream(one).min().orElseThrow();
        double b4 = Arrays.stream(four4).min().orElseThrow();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("steps", steps);
        m.put("step", summary(one));
        m.put("step_4x", summary(four4));
        m.put("fixed_seconds", (4 * m1 - m4) / 3);
        m.put("per_row_microseconds", (m4 - m1) / (3.0 * rows) * 1e6);
        m.put("fixed_seconds_fastest", (4 * b1 - b4) / 3);
        m.put("per_row_microseconds_fastest", (b4 - b1) / (3.0 * rows) * 1e6);
        return m;
    }

    private static int[] allBlocks(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    /**
     * Epoch seconds of full-batch seed training after one warm-up epoch: the training work as metrics.csv
     * records it, or with a test set the wall time from one epoch's end to the next, test pass included.
     */
    /** Pairs of ShardProp's epochs and MLPC's iterations, alternated (a full run; one in a quick run). */
    private static final int PAIRS = 5;

    private static double[] time(Mlp model, GradientSource data, GradientSource test, int epochs) throws Exception {
        double[] params = Init.NORMAL.draw(model.layout(), 0);
        List<Double> seconds = new ArrayList<>();
        long[] last = {0};
        new Trainer(Loss.SEED, LrSchedule.constant(1e-5), epochs + 1, 0, 0)
                .train(params, new Sgd(params.length, 0, 0), 1, data, test, (EpochMetrics m, double[] p) -> {
                    long now = System.nanoTime();
                    if (m.epoch() > 1) {
                        seconds.add(test == null ? m.seconds() : (now - last[0]) / 1e9);
                    }
                    last[0] = now;
                });
        return seconds.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * What one full-batch step's tasks send to the driver: each partition's {@link GradientSums} over its blocks
     * at the seed model's initial weights, Java-serialized as Spark sends it, beside the raw limbs
     * (32 bytes a parameter) the compact form replaces. Sizes of the largest task.
     */
    private static Map<String, Object> taskResult(Mlp model, JavaRDD<Block> blocks) {
        double[] params = Init.NORMAL.draw(model.layout(), 0);
        long largest = blocks.mapPartitions(it -> {
            GradientSums sums = new GradientSums(model);
            it.forEachRemaining(b -> sums.add(b, params));
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
                o.writeObject(sums);
            }
            return List.of((long) bytes.size()).iterator();
        }).reduce(Math::max);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", largest);
        m.put("raw_limbs_bytes", 32L * model.layout().paramCount());
        return m;
    }

    /**
     * What a sync costs, on the two tiny blocks (so the arithmetic is nothing): a full-batch step, a round of
     * local steps (2 replicas, one momentum step each, as the preset's rounds), an empty job of the kind
     * both run ({@link Aggregation}), and a broadcast of the weights with its destroy. The four alternate,
     * {@code n} times after three warm-ups, so that a VM changing speed shifts them alike.
     */
    private static Map<String, Object> syncCosts(JavaSparkContext sc, Mlp model, JavaRDD<Block> tiny,
                                                 SparkData tinyData, int n) {
        double[] params = Init.NORMAL.draw(model.layout(), 0);
        double[] grad = new double[params.length];
        int[] both = {0, 1};
        LocalSteps plan = new LocalSteps(new OptimizerSpec(OptimizerKind.MOMENTUM, 0.9, 0, 0, 0), 2,
                new int[][][]{{{0}}, {{1}}}, new double[][]{{1e-5}, {1e-5}}, new double[]{0.5, 0.5});
        double[][] s = new double[4][n];
        for (int i = -3; i < n; i++) {
            long t0 = System.nanoTime();
            tinyData.lossAndGradient(params, both, grad);
            long t1 = System.nanoTime();
            tinyData.localSteps(params, null, plan);
            long t2 = System.nanoTime();
            Aggregation.aggregate(tiny, 0L, (acc, b) -> acc + 1, Long::sum);
            long t3 = System.nanoTime();
            sc.broadcast(params.clone()).destroy();
            long t4 = System.nanoTime();
            if (i >= 0) {
                s[0][i] = (t1 - t0) / 1e9;
                s[1][i] = (t2 - t1) / 1e9;
                s[2][i] = (t3 - t2) / 1e9;
                s[3][i] = (t4 - t3) / 1e9;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spark_overhead_step", summary(s[0]));
        m.put("spark_overhead_round", summary(s[1]));
        m.put("spark_empty_job", summary(s[2]));
        m.put("spark_broadcast", summary(s[3]));
        return m;
    }

    /**
     * MLPC gd, layers [784, 100, 10], on a DataFrame of the same cached samples; its marginal iteration
     * ({@code (fit(N) − fit(1)) / (N − 1)}) alternates with ShardProp's epochs on the byte cache that {@code train}
     * uses ({@code bytes}), {@link #PAIRS} pairs, so that a VM changing speed shifts both alike. Medians of the pairs.
     */
    private Map<String, Object> mlpc(SparkSession spark, JavaRDD<Block> blocks, Mlp model, SparkData bytes)
            throws Exception {
        StructType schema = new StructType().add("features", new org.apache.spark.ml.linalg.VectorUDT())
                .add("label", DataTypes.DoubleType);
        JavaRDD<Row> rows = blocks.flatMap(b -> {
            List<Row> r = new ArrayList<>(b.data().size());
            double[] x = b.data().x64().data();
            for (int i = 0; i < b.data().size(); i++) {
                r.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(x, i * 785, i * 785 + 784)),
                        (double) b.data().labels()[i]));
            }
            return r.iterator();
        });
        long prep = System.nanoTime();
        Dataset<Row> df = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_ONLY());
        df.count();
        double prepSeconds = secondsSince(prep);
        int iterations = Math.max(settings.runEpochs(), 2);
        int pairs = settings.epochs() <= 2 ? 1 : PAIRS;
        fit(df, 1);  // warm-up
        double[] marginal = new double[pairs];
        double[] ours = new double[pairs];
        double one = Double.POSITIVE_INFINITY;
        double whole = 0;
        for (int pair = 0; pair < pairs; pair++) {
            ours[pair] = median(time(model, bytes, null, settings.epochs()));
            double fitOne = fit(df, 1);
            whole = fit(df, iterations);
            one = Math.min(one, fitOne);
            marginal[pair] = (whole - fitOne) / (iterations - 1);
        }
        df.unpersist();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("solver", "gd");
        m.put("layers", new int[]{784, 100, 10});
        m.put("dataframe_seconds", prepSeconds);
        m.put("fit_1_iteration_seconds", one);
        m.put("fit_run_iterations", iterations);
        m.put("fit_run_iterations_seconds", whole);
        m.put("marginal_iteration_seconds", median(marginal));
        m.put("marginal_iteration", summary(marginal));
        m.put("pairs", pairs);
        m.put("shardprop_epoch_bytes", summary(ours));
        m.put("shardprop_vs_mlpc", median(ours) / median(marginal));
        return m;
    }

    private static double fit(Dataset<Row> df, int iterations) {
        long t = System.nanoTime();
        new MultilayerPerceptronClassifier().setLayers(new int[]{784, 100, 10}).setSolver("gd").setMaxIter(iterations)
                .setTol(0.0).setStepSize(0.03).setSeed(1L).fit(df);
        return secondsSince(t);
    }

    private static double median(double[] s) {
        return ((Number) summary(s).get("median_seconds")).doubleValue();
    }

    static Map<String, Object> summary(double[] s) {
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_seconds", sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
        m.put("min_seconds", sorted[0]);
        m.put("max_seconds", sorted[sorted.length - 1]);
        m.put("samples", sorted.length);
        return m;
    }

    private static double secondsSince(long t) {
        return (System.nanoTime() - t) / 1e9;
    }
}
