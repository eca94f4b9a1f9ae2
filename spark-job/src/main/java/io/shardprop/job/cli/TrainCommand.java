package io.shardprop.job.cli;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.io.Npy;
import io.shardprop.core.io.NpyArray;
import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.Main;
import io.shardprop.job.data.Blocks;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.output.RunOutput;
import io.shardprop.job.train.DistributedTrainer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code train}: the seed notebook's full-batch training, distributed over Spark executors. */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Train the MLP on MNIST with full-batch gradient descent, data-parallel on Spark.",
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad option, config or input file.",
            "Options may also come from --config FILE, a properties file whose keys are the long option",
            "names without dashes (epochs=50); flags on the command line win."})
public final class TrainCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four MNIST IDX files (plain or .gz).")
    String data;
    @Option(names = "--train-images", paramLabel = "PATH", description = "Training images (overrides --data).")
    String trainImages;
    @Option(names = "--train-labels", paramLabel = "PATH", description = "Training labels (overrides --data).")
    String trainLabels;
    @Option(names = "--test-images", paramLabel = "PATH", description = "Test images (overrides --data).")
    String testImages;
    @Option(names = "--test-labels", paramLabel = "PATH", description = "Test labels (overrides --data).")
    String testLabels;
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "50", description = "Full-batch steps (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-5",
            description = "Learning rate on the summed gradient (default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--loss", paramLabel = "MODE", defaultValue = "seed",
            description = "Loss: ${COMPLETION-CANDIDATES} (seed = the notebook's Softmax then Log(x + 1e-12), "
                    + "summed; default: ${DEFAULT-VALUE}).")
    Loss loss;
    @Option(names = "--hidden", paramLabel = "N", defaultValue = "100", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--init", paramLabel = "MODE", defaultValue = "normal",
            description = "Initialisation: ${COMPLETION-CANDIDATES} (normal = unscaled N(0,1) as numpy's "
                    + "RandomState(seed); default: ${DEFAULT-VALUE}).")
    InitKind init;
    @Option(names = "--init-weights", paramLabel = "DIR",
            description = "Start from DIR/W1.npy and DIR/W2.npy instead of --init.")
    String initWeights;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed, 0..2^32-1 (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "Partitions of the training blocks (default: the cluster's default parallelism).")
    int partitions;
    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "4096",
            description = "Samples per block (default: ${DEFAULT-VALUE}).")
    int blockSize;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required).")
    String out;
    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of option defaults.")
    String config;

    /** Loss modes. */
    public enum Loss { seed }

    /** Initialisations. */
    public enum InitKind { normal }

    @Override
    public Integer call() throws IOException {
        long started = System.nanoTime();
        TrainConfig cfg = config();
        HadoopFs fs = HadoopFs.beforeSpark();
        Layout layout = Layout.mnist(cfg.hidden());
        String[] options = {"--train-images", "--train-labels", "--test-images", "--test-labels"};
        MnistFiles files = MnistFiles.open(fs, options,
                new String[]{cfg.trainImages(), cfg.trainLabels(), cfg.testImages(), cfg.testLabels()},
                layout.inputs() - 1);
        double[] params = cfg.initWeights() != null ? loadWeights(fs, cfg.initWeights(), layout)
                : Init.normal(layout, cfg.seed());
        RunOutput output = RunOutput.check(fs, cfg.out(), cfg.overwrite());

        boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSession.builder().appName("ShardProp train").getOrCreate();
        try {
            train(JavaSparkContext.fromSparkContext(spark.sparkContext()), cfg, layout, files, params, output, started);
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
        return 0;
    }

    private void train(JavaSparkContext sc, TrainConfig cfg, Layout layout, MnistFiles files, double[] params,
                       RunOutput output, long started) throws IOException {
        int partitions = cfg.partitions() > 0 ? cfg.partitions() : sc.defaultParallelism();
        LOG.info("ShardProp {} on Spark {}, master {}, {} partitions, BLAS {} on the driver", Main.version(),
                sc.version(), sc.master(), partitions, Blas.implementation());
        output.create();

        sc.setJobDescription("load training blocks");
        JavaRDD<Batch> train = Blocks.load(sc, files.trainImages(), files.trainLabels(), cfg.blockSize(),
                partitions, "train");
        long loadStart = System.nanoTime();
        long trainBlocks = train.count();
        sc.setJobDescription("load test blocks");
        JavaRDD<Batch> test = Blocks.load(sc, files.testImages(), files.testLabels(), cfg.blockSize(),
                partitions, "test");
        test.count();
        LOG.info("cached {} training samples in {} blocks and {} test samples in {} s",
                files.trainImages().header().count(), trainBlocks, files.testImages().header().count(),
                String.format("%.2f", (System.nanoTime() - loadStart) / 1e9));

        DistributedTrainer trainer = new DistributedTrainer(sc, layout, cfg.lr(), cfg.epochs());
        trainer.train(params, train, test, (m, p) -> {
            output.addEpoch(m);
            System.out.printf("epoch %d/%d  loss %.4f  acc %.4f  test_loss %.4f  test_acc %.4f  %.2fs%n",
                    m.epoch(), cfg.epochs(), m.trainLoss(), m.trainAccuracy(), m.testLoss(), m.testAccuracy(),
                    m.seconds());
            if (m.epoch() == 1) {
                LOG.info("first epoch line {} s after start", String.format("%.1f", (System.nanoTime() - started) / 1e9));
            }
        });
        EpochMetrics last = output.epochs().get(output.epochs().size() - 1);
        output.writeModel(layout, params, manifest(cfg, layout, files, last, sc));
        output.succeed();
        train.unpersist(false);
        test.unpersist(false);
        System.out.printf("test loss %.4f  test accuracy %.4f  (model in %s)%n", last.testLoss(), last.testAccuracy(),
                output.dir());
    }

    TrainConfig config() {
        String[] paths = {trainImages, trainLabels, testImages, testLabels};
        String[] names = {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, MnistFiles.TEST_IMAGES,
            MnistFiles.TEST_LABELS};
        for (int i = 0; i < 4; i++) {
            if (paths[i] == null) {
                if (data == null) {
                    throw new UsageException("--data DIR is required (or all four of --train-images, "
                            + "--train-labels, --test-images, --test-labels)");
                }
                try {
                    paths[i] = MnistFiles.inDir(HadoopFs.beforeSpark(), data, names[i]);
                } catch (IOException e) {
                    throw new UsageException("--data: " + data + ": " + e.getMessage());
                }
            }
        }
        HadoopFs fs = HadoopFs.beforeSpark();
        for (int i = 0; i < 4; i++) {
            try {
                paths[i] = fs.qualify(paths[i]);
            } catch (java.io.UncheckedIOException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return new TrainConfig(paths[0], paths[1], paths[2], paths[3], epochs, lr, loss.name(), hidden,
                init.name(), initWeights, seed, partitions, blockSize, out, overwrite);
    }

    /** {@code dir/W1.npy} and {@code dir/W2.npy}, shapes checked against the layout. */
    static double[] loadWeights(HadoopFs fs, String dir, Layout layout) {
        Mat[] w = new Mat[2];
        int[][] shapes = {{layout.inputs(), layout.hidden()}, {layout.hidden(), layout.classes()}};
        for (int i = 0; i < 2; i++) {
            String uri = HadoopFs.child(dir, "W" + (i + 1) + ".npy");
            try (InputStream in = fs.open(uri)) {
                NpyArray a = Npy.read(in, uri);
                if (a.shape().length != 2 || a.rows() != shapes[i][0] || a.cols() != shapes[i][1]) {
                    throw new UsageException("--init-weights: " + uri + " has shape " + java.util.Arrays.toString(a.shape())
                            + ", expected [" + shapes[i][0] + ", " + shapes[i][1] + "] for --hidden " + layout.hidden());
                }
                w[i] = new Mat(a.data(), 0, a.rows(), a.cols());
            } catch (MalformedFileException e) {
                throw new UsageException("--init-weights: " + e.getMessage());
            } catch (IOException e) {
                throw new UsageException("--init-weights: " + uri + ": cannot read: " + e.getMessage());
            }
        }
        return layout.join(w[0], w[1]);
    }

    private static Map<String, Object> manifest(TrainConfig cfg, Layout layout, MnistFiles files, EpochMetrics last,
                                                JavaSparkContext sc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "shardprop-model");
        m.put("format_version", 1);
        m.put("architecture", ordered(
                "layers", new String[]{"Matmul W1 [" + layout.inputs() + " x " + layout.hidden() + "]", "Relu",
                    "Matmul W2 [" + layout.hidden() + " x " + layout.classes() + "]", "Softmax", "Log"},
                "inputs", layout.inputs(), "hidden", new int[]{layout.hidden()}, "classes", layout.classes(),
                "bias", "last input is a constant 1 (row " + (layout.inputs() - 1) + " of W1)",
                "input_scaling", "pixel / 255.0"));
        m.put("weights", ordered("W1", "W1.npy", "W2", "W2.npy", "dtype", "float64", "order", "C"));
        m.put("loss", ordered("mode", cfg.loss(), "reduction", "sum",
                "formula", "-sum_i log(softmax(h2_i)[y_i] + 1e-12)"));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("epochs", cfg.epochs());
        options.put("lr", cfg.lr());
        options.put("hidden", cfg.hidden());
        options.put("init", cfg.initWeights() != null ? "weights from " + cfg.initWeights() : cfg.init());
        options.put("seed", cfg.seed());
        options.put("partitions", cfg.partitions() > 0 ? cfg.partitions() : sc.defaultParallelism());
        options.put("block_size", cfg.blockSize());
        m.put("options", options);
        Map<String, Object> data = new LinkedHashMap<>();
        for (IdxFile f : new IdxFile[]{files.trainImages(), files.trainLabels(), files.testImages(), files.testLabels()}) {
            data.put(f.name(), ordered("uri", f.uri(), "bytes", f.bytes(), "count", f.header().count()));
        }
        m.put("data", data);
        m.put("metrics", ordered("epochs", last.epoch(), "train_loss", last.trainLoss(),
                "train_accuracy", last.trainAccuracy(), "test_loss", last.testLoss(),
                "test_accuracy", last.testAccuracy()));
        m.put("versions", ordered("shardprop", Main.version(), "spark", sc.version(),
                "java", System.getProperty("java.version"), "blas", Blas.implementation()));
        m.put("created", Instant.now().toString());
        return m;
    }

    /** A map that keeps the order of its {@code key, value, key, value, ...} arguments. */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
