package io.shardprop.job.cli;

import io.shardprop.core.testing.RealData;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutClaim;
import io.shardprop.job.model.ModelFixtures;
import io.shardprop.job.testing.MainRun;
import io.shardprop.job.testing.TinyData;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One command per output at a time, and every output marked: two trainings on one {@code --out} (the second refused
 * in one line naming the first), {@code evaluate} and {@code predict} refused on a claimed folder, their
 * {@code _RUNNING}/{@code _SUCCESS}/{@code _FAILED}, and the estimator's save refused on a claimed path.
 */
class OutputClaimsCliTest extends SparkTestBase {

    @TempDir
    static Path dir;
    @TinyData(train = 30, test = 20, seed = 1)
    static Path data;

    @Test
    void aSecondTrainingOnTheSameOutIsRefusedNamingTheFirst() throws Exception {
        Path mnist = RealData.mnistDir();
        Path out = dir.resolve("conc");
        String[] run = {"train", "--engine", "local", "--hidden", "100", "--loss", "seed", "--lr", "1e-5", "--epochs", "6",
            "--train-images", mnist.resolve("train-images-idx3-ubyte").toString(),
            "--train-labels", mnist.resolve("train-labels-idx1-ubyte").toString(),
            "--test-images", mnist.resolve("t10k-images-idx3-ubyte").toString(),
            "--test-labels", mnist.resolve("t10k-labels-idx1-ubyte").toString(), "--out", out.toString()};
        CompletableFuture<MainRun> first = CompletableFuture.supplyAsync(() -> MainRun.of(run));
        Path claim = dir.resolve(".conc.claim");
        while (!Files.exists(claim) && !first.isDone()) {
            Thread.sleep(2);
        }
        for (String[] second : List.of(run, withFlag(run, "--overwrite"), withFlag(run, "--resume"))) {
            MainRun refused = MainRun.of(second);
            assertEquals(2, refused.code(), refused.err());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(refused.err().contains("is in use by train (pid " + ProcessHandle.current().pid()), refused.err());
        }
        MainRun done = first.get();
        assertEquals(0, done.code(), done.err());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(claim), "released");
        MainRun again = MainRun.of(run);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists: a finished run (_SUCCESS); pass --resume"), again.err());
    }

    private static String[] withFlag(String[] run, String flag) {
        return Stream.concat(Stream.of(run), Stream.of(flag)).toArray(String[]::new);
    }

    @Test
    void evaluateAndPredictAreMarkedAndClaimed() throws IOException {
        Path model = ModelFixtures.write(dir.resolve("run").resolve("model"), 8);
        Path eval = dir.resolve("evaluated");
        assertEquals(0, MainRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
                eval.toString()).code());
        assertEquals(List.of("_SUCCESS", "confusion.csv", "confusion.png", "evaluation.json", "mistakes.png"),
                names(eval));
        Path pred = dir.resolve("pred.csv");
        String[] predict = {"predict", "--model", model.toString(), "--images",
            data.resolve("t10k-images-idx3-ubyte").toString(), "--out", pred.toString()};
        assertEquals(0, MainRun.of(predict).code());
        assertTrue(names(pred).contains("_SUCCESS") && !names(pred).contains("_RUNNING"), names(pred).toString());
        assertTrue(names(pred).stream().anyMatch(n -> n.startsWith("part-") && n.endsWith(".csv")));

        HadoopFs fs = new HadoopFs(new Configuration());
        try (OutClaim held = OutClaim.acquire(fs, pred.toString(), "predict", false, "--out")) {
            MainRun refused = MainRun.of(Stream.concat(Stream.of(predict), Stream.of("--overwrite"))
                    .toArray(String[]::new));
            assertEquals(2, refused.code(), refused.err());
            assertTrue(refused.err().contains("is in use by predict (pid"), refused.err());
            assertTrue(names(pred).contains("_SUCCESS"), "untouched");
        }
        try (OutClaim held = OutClaim.acquire(fs, eval.toString(), "evaluate", false, "--out")) {
            MainRun refused = MainRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
                    eval.toString(), "--overwrite");
            assertEquals(2, refused.code(), refused.err());
            assertTrue(refused.err().contains("is in use by evaluate (pid"), refused.err());
        }

        // bad input that only Spark finds: no folder, as bad input found before Spark
        Path rows = Files.writeString(dir.resolve("rows.csv"), "a,b,label\n1,2,0\n3,4,1\n");
        Path failed = dir.resolve("failed.csv");
        String[] bad = {"predict", "--model", model.toString(), "--format", "csv", "--input", rows.toString(), "--out",
            failed.toString()};
        assertEquals(2, MainRun.of(bad).code());
        assertFalse(Files.exists(failed));
        // a failure once the folder was being replaced (--overwrite): the partial output goes, _FAILED says why
        Files.createDirectories(failed);
        Files.writeString(failed.resolve("_SUCCESS"), "");
        MainRun replaced = MainRun.of(Stream.concat(Stream.of(bad), Stream.of("--overwrite")).toArray(String[]::new));
        assertEquals(2, replaced.code(), replaced.err());
        assertEquals(List.of("_FAILED"), names(failed));
        assertTrue(Files.readString(failed.resolve("_FAILED")).startsWith("--input: "), "the one line first");
        assertFalse(Files.exists(dir.resolve(".failed.csv.claim")));
    }

    @Test
    void theModelsSaveIsRefusedOnAClaimedPath() throws Exception {
        var model = new io.shardprop.job.ml.ShardPropClassifier().set(io.shardprop.job.config.TrainOptions.HIDDEN,
                new int[]{4}).setMaxIter(2).fit(io.shardprop.job.ml.ShardPropClassifierTestAccess.blobs(60, 3, 2));
        Path saved = dir.resolve("saved-model");
        HadoopFs fs = new HadoopFs(new Configuration());
        try (OutClaim held = OutClaim.acquire(fs, saved.toString(), "save", false, "--out")) {
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> model.write().save(saved.toString()));
            assertTrue(e.getMessage().contains(saved.toString()) && e.getMessage().contains("is in use by save (pid"),
                    e.getMessage());
        }
        model.write().save(saved.toString());
        assertTrue(Files.exists(saved.resolve("model").resolve("model.json")));
        assertFalse(Files.exists(dir.resolve(".saved-model.claim")));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
