package io.shardprop.job.cli;

import io.shardprop.job.config.TrainOptions;

import io.shardprop.job.Main;
import io.shardprop.job.TinyMnist;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.testing.MainRun;
import io.shardprop.job.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input or config: exit 2 with one line naming the problem, before any SparkSession starts. */
class TrainCliTest {

    @TempDir
    static Path dir;
    @TinyData(train = 50, test = 20, seed = 1)
    static Path data;

    /** Train with valid data and output, plus {@code extra}; expects a usage error naming {@code expected}. */
    static void assertUsageError(String expected, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(),
                "--out", dir.resolve("out-never-created").toString()));
        args.addAll(List.of(extra));
        MainRun.of(args).assertUsageError(expected, dir.resolve("out-never-created"));
    }

    @Test
    void helpExitsZero() {
        MainRun o = MainRun.of("train", "--help");
        assertEquals(0, o.code());
        assertEquals(0, MainRun.of("--help").code());
        assertEquals(0, MainRun.of("--version").code());
    }

    /** Options that are wrong on their own, and what their one-line error says. */
    static Stream<Arguments> badOptions() {
        return Stream.of(
                badOption("Unknown option: '--bogus'", "--bogus"),
                badOption("--lr must be positive", "--lr", "-0.1"),
                badOption("--epochs must be at least 1", "--epochs", "0"),
                badOption("--epochs must be at least 1", "--epochs", "-3"),
                badOption("'--hidden'", "--hidden", "many"),
                badOption("Invalid value for option '--loss': must be one of [seed, xent, squared, huber], got 'hinge'", "--loss", "hinge"),
                badOption("Invalid value for option '--precision': must be one of [float64, float32], got 'float16'",
                        "--precision", "float16"),
                badOption("Invalid value for option '--optimizer': must be one of [sgd, momentum, adam], got 'lbfgs'",
                        "--optimizer", "lbfgs"),
                // range messages state the real range
                badOption("--partitions must be 0 (Spark's default parallelism) or more, got -1", "--partitions", "-1"),
                badOption("--block-size must be 0 (chosen from the batch size) or between 1 and 1048576, got -2",
                        "--block-size", "-2"),
                badOption("--hidden must be between 1 and 65536 each, got 100,0", "--hidden", "100,0"),
                badOption("--batch-size 100 must be a multiple of --block-size 32", "--batch-size", "100",
                        "--block-size", "32"));
    }

    static Arguments badOption(String expected, String... options) {
        return Arguments.of(String.join(" ", options), expected, options);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void aBadOptionIsAOneLineUsageErrorBeforeSparkStarts(String options, String expected, String[] args) {
        assertUsageError(expected, args);
    }

    @Test
    void missingFile() {
        assertUsageError("--train-labels: ", "--train-labels", dir.resolve("nope").toString());
    }

    @Test
    void missingDataFolder() {
        MainRun o = MainRun.of("train", "--data", dir.resolve("no-such-dir").toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--train-images: ") && o.err().contains("does not exist"), o.err());
    }

    @Test
    void labelsGivenAsImages() {
        assertUsageError("magic 0x00000801, expected 0x00000803",
                "--train-images", data.resolve("train-labels-idx1-ubyte").toString());
    }

    @Test
    void mismatchedCounts() {
        assertUsageError("--train-labels: t10k-labels-idx1-ubyte has 20 labels but train-images-idx3-ubyte has 50 images",
                "--train-labels", data.resolve("t10k-labels-idx1-ubyte").toString());
    }

    @Test
    void localStepOptionsAreCheckedBeforeSparkStarts() {
        assertUsageError("--syncs-per-epoch needs mini-batches", "--syncs-per-epoch", "2");
        assertUsageError("--batch-size 100 must be a multiple of --replicas 3", "--syncs-per-epoch", "2",
                "--batch-size", "100", "--replicas", "3");
        assertUsageError("--block-size 64 must divide the per-replica batch 32", "--syncs-per-epoch", "2",
                "--batch-size", "128", "--replicas", "4", "--block-size", "64");
        assertUsageError("Invalid value for option '--outer': must be one of [average, nesterov], got 'adam'",
                "--outer", "adam");
        assertUsageError("--replicas must be between 1 and 4096, got 0", "--replicas", "0");
        assertUsageError("--block-size 64 must divide the per-replica batch 96 (--replica-batch)", "--syncs-per-epoch",
                "2", "--batch-size", "128", "--replicas", "4", "--replica-batch", "96", "--block-size", "64");
        assertUsageError("--replica-batch must be 0 (--batch-size / R) or positive, got -1", "--replica-batch", "-1");
        assertUsageError("Invalid value for option '--inner-state': must be one of [reset, average], got 'carry'",
                "--inner-state", "carry");
    }

    @Test
    void shiftOptionsAreCheckedAgainstTheImagesBeforeSparkStarts() {
        assertUsageError("--shift must be between 0 (none) and 64 pixels, got -1", "--shift", "-1");
        assertUsageError("--image-height 5 does not divide the 784 features of a row", "--shift", "1",
                "--batch-size", "20", "--syncs-per-epoch", "1", "--image-height", "5");
        assertUsageError("--shift 28 must be smaller than the images' sides (28 x 28)", "--shift", "28",
                "--batch-size", "20", "--syncs-per-epoch", "1");
    }

    @Test
    void shiftedTrainingIsRecordedAndResumedOnlyWithTheSameShift() throws IOException {
        Path out = dir.resolve("shift");
        assertEquals(0, Main.run("train", "--engine", "local", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--loss", "xent", "--optimizer", "momentum", "--lr", "0.05", "--batch-size", "20",
                "--syncs-per-epoch", "1", "--shift", "2", "--checkpoint-every", "1"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("model/model.json").toFile());
        assertEquals(2, json.path("options").path("shift").asInt(-1), json.toString());
        assertEquals(0, json.path("options").path("image-height").asInt(-1), "recorded by the option's name");
        MainRun o = MainRun.of("train", "--engine", "local", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "2", "--loss", "xent", "--optimizer", "momentum", "--lr", "0.05", "--batch-size", "20",
                "--syncs-per-epoch", "1", "--resume");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--shift"), o.err());
    }

    /** The elastic field and the affine ranges are recorded too, and a resume with others is refused. */
    @Test
    void elasticTrainingIsRecordedAndResumedOnlyWithTheSameDeformation() throws IOException {
        Path out = dir.resolve("elastic");
        String[] recipe = {"train", "--engine", "local", "--data", data.toString(), "--out", out.toString(),
                "--loss", "xent", "--optimizer", "momentum", "--lr", "0.05", "--batch-size", "20",
                "--syncs-per-epoch", "1", "--elastic-alpha", "34", "--elastic-sigma", "4", "--rotate", "15",
                "--scale", "0.15", "--shear", "10"};
        String[] first = java.util.stream.Stream.concat(java.util.Arrays.stream(recipe),
                java.util.stream.Stream.of("--epochs", "1", "--checkpoint-every", "1")).toArray(String[]::new);
        assertEquals(0, Main.run(first));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("model/model.json").toFile());
        var options = json.path("options");
        assertEquals(34.0, options.path("elastic-alpha").asDouble(), json.toString());
        assertEquals(4.0, options.path("elastic-sigma").asDouble());
        assertEquals(15.0, options.path("rotate").asDouble());
        assertEquals(0.15, options.path("scale").asDouble());
        assertEquals(10.0, options.path("shear").asDouble());
        String[] other = java.util.stream.Stream.concat(java.util.Arrays.stream(recipe),
                java.util.stream.Stream.of("--epochs", "2", "--resume", "--rotate", "10")).toArray(String[]::new);
        MainRun o = MainRun.of(other);
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--rotate"), o.err());
        String[] same = java.util.stream.Stream.concat(java.util.Arrays.stream(recipe),
                java.util.stream.Stream.of("--epochs", "2", "--resume")).toArray(String[]::new);
        MainRun resumed = MainRun.of(same);
        assertEquals(0, resumed.code(), resumed.err());
    }

    @Test
    void localStepsTrainAndAreRecorded() throws IOException {
        Path out = dir.resolve("local-steps");
        assertEquals(0, Main.run("train", "--engine", "local", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "2", "--loss", "xent", "--optimizer", "momentum", "--lr", "0.05", "--batch-size", "20",
                "--replicas", "2", "--syncs-per-epoch", "3", "--outer", "nesterov", "--checkpoint-every", "1"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("model/model.json").toFile());
        assertEquals(2, json.path("options").path("replicas").asInt(), json.toString());
        assertEquals(3, json.path("options").path("syncs-per-epoch").asInt());
        assertEquals("nesterov", json.path("options").path("outer").asText());
        assertEquals("momentum", json.path("options").path("optimizer").asText(), "each replica's optimizer");
        assertEquals("outer-nesterov", json.path("optimizer").path("name").asText(), "the driver's");
        MainRun o = MainRun.of("train", "--engine", "local", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "3", "--loss", "xent", "--optimizer", "momentum", "--lr", "0.05", "--batch-size", "20",
                "--replicas", "4", "--syncs-per-epoch", "3", "--outer", "nesterov", "--resume");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("was written with other options: --replicas 4 (the run: 2)"), o.err());
    }

    @Test
    void theImageSizeComesFromTheIdxHeader() throws IOException {
        Path small = TinyMnist.write(Files.createDirectory(dir.resolve("eight")), 40, 10, 3, false, 8);
        Path out = dir.resolve("eight-out");
        assertEquals(0, Main.run("train", "--engine", "local", "--data", small.toString(), "--out", out.toString(),
                "--epochs", "1", "--hidden", "5"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("model/model.json").toFile());
        assertEquals(65, json.path("architecture").path("inputs").asInt(), json.toString());
        MainRun o = MainRun.of("train", "--data", data.toString(), "--out", dir.resolve("mixed").toString(),
                "--test-images", small.resolve("t10k-images-idx3-ubyte").toString(),
                "--test-labels", small.resolve("t10k-labels-idx1-ubyte").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--test-images: t10k-images-idx3-ubyte: images are 8x8 = 64 pixels, the model "
                + "expects 784"), o.err());
    }

    @Test
    void anUnknownBlasChoiceIsAUsageErrorBeforeAnythingRuns() {
        Path out = dir.resolve("blas-never-created");
        System.setProperty("shardprop.blas", "mkl");
        try {
            MainRun o = MainRun.of("train", "--data", data.toString(), "--out", out.toString());
            assertEquals(2, o.code(), o.err());
            assertEquals("shardprop: -Dshardprop.blas=mkl is not a BLAS choice: use auto, bundled, system or java",
                    o.err().strip());
            assertTrue(Files.notExists(out));
        } finally {
            System.clearProperty("shardprop.blas");
        }
    }

    @Test
    void existingOutWithoutOverwrite() throws IOException {
        Path out = Files.createDirectory(dir.resolve("existing"));
        MainRun o = MainRun.of("train", "--data", data.toString(), "--out", out.toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("already exists: an empty folder; pass --resume to continue it or --overwrite to "
                + "replace it"), o.err());
        assertTrue(Files.isDirectory(out));
    }

    @Test
    void initWeightsOfTheWrongShape() {
        MainRun o = MainRun.of("train", "--data", data.toString(), "--out", dir.resolve("o2").toString(),
                "--hidden", "50", "--init-weights", goldenDir());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("W1.npy: shape [785, 100], expected [785, 50]"), o.err());
    }

    @Test
    void unknownConfigKey() throws IOException {
        Path conf = Files.writeString(dir.resolve("bad.properties"), "epochs=3\nlearning-rate=0.1\n");
        assertUsageError("unknown key 'learning-rate'", "--config", conf.toString());
    }

    @Test
    void aBadValueInAConfigFileNamesTheFileAndKey() throws IOException {
        Path conf = Files.writeString(dir.resolve("values.properties"), "epochs=abc\n");
        assertUsageError(conf + ": epochs=abc: Invalid value for option '--epochs'", "--config", conf.toString());
        Files.writeString(conf, "lr=-1\n");
        assertUsageError(conf + ": lr=-1: --lr must be", "--config", conf.toString());
        MainRun flag = MainRun.of("train", "--data", data.toString(), "--out", dir.resolve("never").toString(),
                "--config", conf.toString(), "--lr", "-2");
        assertEquals(2, flag.code(), flag.err());
        assertFalse(flag.err().contains("values.properties"), "a flag's error is not the file's: " + flag.err());
    }

    @Test
    void missingConfigFile() {
        assertUsageError("--config: ", "--config", dir.resolve("none.properties").toString());
    }

    /**
     * YARN cluster mode: {@code --files conf/seed.properties} puts the file in the driver's working directory
     * and {@code --config seed.properties} must find it there, even when the default file system is HDFS
     * (here one that does not exist, so any attempt to use it would fail).
     */
    @Test
    void aRelativeConfigNameIsReadFromTheWorkingDirectoryWhateverTheDefaultFileSystem() throws IOException {
        Path here = Files.createDirectories(Path.of("target", "config-test"));
        Path conf = Files.writeString(here.resolve("wd.properties"), "epochs=9\n");
        String relative = Path.of("").toAbsolutePath().relativize(conf.toAbsolutePath()).toString();
        String saved = System.getProperty("spark.hadoop.fs.defaultFS");
        System.setProperty("spark.hadoop.fs.defaultFS", "hdfs://no-such-namenode.invalid:8020");
        try {
            TrainCommand cmd = new TrainCommand();
            CommandLine cl = new CommandLine(cmd);
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(
                    ConfigDefaults.load(HadoopFs.beforeSpark(), relative, cl)));
            // every other path names its file system, as it must when the default one is HDFS
            cl.parseArgs("--data", data.toUri().toString(), "--out", here.resolve("out").toUri().toString());
            assertEquals(9, cmd.config().get(TrainOptions.EPOCHS));
        } finally {
            if (saved == null) {
                System.clearProperty("spark.hadoop.fs.defaultFS");
            } else {
                System.setProperty("spark.hadoop.fs.defaultFS", saved);
            }
        }
    }

    @Test
    void configSuppliesDefaultsAndFlagsWin() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.properties"),
                "epochs=7\nlr=0.5\nhidden=30,20\nloss=xent\nbias=true\noptimizer=adam\nbatch-size=64\n");
        TrainCommand cmd = new TrainCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(
                ConfigDefaults.load(HadoopFs.beforeSpark(), conf.toString(), cl)));
        cl.parseArgs("--data", data.toString(), "--out", "x", "--lr", "0.25");
        TrainConfig cfg = cmd.config();
        assertEquals(7, cfg.get(TrainOptions.EPOCHS));
        assertEquals(0.25, cfg.get(TrainOptions.LR));
        assertArrayEquals(new int[]{30, 20}, cfg.get(TrainOptions.HIDDEN));
        assertEquals(io.shardprop.core.model.Loss.XENT, cfg.get(TrainOptions.LOSS));
        assertTrue(cfg.get(TrainOptions.BIAS));
        assertEquals(io.shardprop.core.optim.OptimizerKind.ADAM, cfg.get(TrainOptions.OPTIMIZER));
        assertEquals(16, cfg.effectiveBlockSize());
        assertEquals(4, cfg.blocksPerStep());
        assertTrue(cfg.inputs().trainImages().startsWith("file:") && cfg.inputs().trainImages().endsWith("train-images-idx3-ubyte"),
                cfg.inputs().trainImages());
    }

    /** Every preset in conf/ is a valid recipe: known keys, values in range, the options' cross-checks. */
    @Test
    void everyPresetIsAValidRecipe() throws IOException {
        java.util.List<Path> presets;
        try (var files = Files.list(java.nio.file.Paths.get("..", "conf"))) {
            presets = files.filter(f -> f.toString().endsWith(".properties") && !f.toString().contains("log4j")).toList();
        }
        assertTrue(presets.size() >= 5, "presets: " + presets);
        for (Path preset : presets) {
            TrainCommand cmd = new TrainCommand();
            CommandLine cl = new CommandLine(cmd);
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(
                    ConfigDefaults.load(HadoopFs.beforeSpark(), preset.toString(), cl)));
            cl.parseArgs("--data", data.toString(), "--out", "x");
            TrainConfig cfg = cmd.config();
            assertTrue(cfg.get(TrainOptions.EPOCHS) >= 1, preset.toString());
            if (preset.getFileName().toString().equals("cluster.properties")) {
                assertEquals(32, cfg.get(TrainOptions.REPLICAS));
                assertEquals(128, cfg.effectiveBlockSize(), "a replica's step: one block of 128 rows");
                assertEquals(32 * 128, cfg.batchSize());
            }
        }
    }

    /** --replica-batch fixes a replica's step whatever --replicas is; --batch-size splits one update instead. */
    @Test
    void theReplicaBatchKeepsAReplicasStepAsTheReplicasGrow() {
        for (int replicas : new int[]{2, 32}) {
            TrainCommand cmd = new TrainCommand();
            new CommandLine(cmd).parseArgs("--data", data.toString(), "--out", "x", "--batch-size", "256",
                    "--syncs-per-epoch", "1", "--replicas", String.valueOf(replicas), "--replica-batch", "128");
            TrainConfig cfg = cmd.config();
            assertEquals(replicas * 128, cfg.batchSize(), "an update is R x 128 samples");
            assertEquals(128, cfg.effectiveBlockSize(), "a replica's step is one block of 128");
            assertEquals(replicas, cfg.blocksPerStep());
        }
        TrainCommand split = new TrainCommand();
        new CommandLine(split).parseArgs("--data", data.toString(), "--out", "x", "--batch-size", "256",
                "--syncs-per-epoch", "1", "--replicas", "32");
        assertEquals(256, split.config().batchSize());
        assertEquals(8, split.config().effectiveBlockSize(), "256 / 32: today's split of --batch-size");
    }

    @Test
    void divergenceStopsWithTheEpochTheLastFiniteLossAndAHintKeepingTheMetrics() throws IOException {
        Path out = dir.resolve("diverged");
        MainRun o = MainRun.of("train", "--engine", "local", "--data", data.toString(),
                "--out", out.toString(), "--epochs", "5", "--lr", "1e300");
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().contains("epoch 2 step 1: the loss is not finite (last finite loss")
                && o.err().contains("try a lower --lr"), o.err());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.csv")).size(), "the header and epoch 1 are kept");
        assertTrue(Files.notExists(out.resolve("_SUCCESS")));
    }

    @Test
    void localEngineTrainsWithoutSpark() throws IOException {
        Path out = dir.resolve("local");
        assertEquals(0, Main.run("train", "--engine", "local", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "2", "--loss", "xent", "--optimizer", "adam", "--lr", "1e-3", "--batch-size", "10"));
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        for (String png : new String[]{"curves.png", "confusion.png", "mistakes.png"}) {
            assertTrue(javax.imageio.ImageIO.read(out.resolve(png).toFile()).getWidth() > 300, png);
        }
        MainRun.assertNoSparkSession();
        var blas = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("model/model.json").toFile())
                .path("versions").path("blas");
        io.shardprop.core.linalg.BlasInfo info = io.shardprop.core.linalg.Blas.info();
        assertEquals(info.source(), blas.path("source").asText(), blas.toString());
        assertEquals(info.implementation(), blas.path("implementation").asText(), blas.toString());
        assertEquals(info.threads(), blas.path("threads").asInt(), blas.toString());
    }

    static String goldenDir() {
        return io.shardprop.core.testing.RealData.golden("seed-parity").toString();
    }
}
