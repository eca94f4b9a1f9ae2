package io.shardprop.job.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.job.Main;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed after epoch 2 of 5 and resumed ends with the same bits as one that was never stopped. */
class CheckpointResumeTest extends SparkTestBase {

    @TempDir
    static Path dir;
    @TinyData(train = 700, test = 200, seed = 3)
    static Path data;

    static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "5", "--loss", "xent", "--bias", "--init", "he", "--hidden", "32,16",
                "--optimizer", "adam", "--lr", "2e-3", "--lr-schedule", "cosine", "--batch-size", "128",
                "--block-size", "32", "--checkpoint-every", "1", "--seed", "5"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static String weightHash(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("model/model.json").toFile()).path("weights").path("sha256").asText();
    }

    static List<String> metricsWithoutSeconds(Path out) throws IOException {
        return Files.readAllLines(out.resolve("metrics.csv")).stream()
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void killedAndResumedRunEndsWithTheSameWeights() throws IOException {
        Path whole = dir.resolve("whole");
        assertEquals(0, Main.run(args(whole)));
        String expected = weightHash(whole);
        assertEquals(64, expected.length());
        assertTrue(Files.size(whole.resolve("model/optimizer-m.npy")) > 0, "Adam's state is saved with the model");

        Path killed = killedAfter(whole, 2, dir.resolve("killed"));

        assertEquals(0, Main.run(args(killed, "--resume")));
        assertEquals(expected, weightHash(killed));
        assertEquals(metricsWithoutSeconds(whole), metricsWithoutSeconds(killed));
    }

    @Test
    void killedAndResumedLocalStepRunWithNesterovEndsWithTheSameWeights() throws IOException {
        String[] localSteps = {"--replicas", "2", "--syncs-per-epoch", "2", "--outer", "nesterov", "--outer-lr", "0.8",
            "--outer-momentum", "0.5"};
        Path whole = dir.resolve("whole-local-steps");
        assertEquals(0, Main.run(concat(args(whole), localSteps)));
        String expected = weightHash(whole);
        assertTrue(Files.size(whole.resolve("model/optimizer-velocity.npy")) > 0, "the outer velocity is saved");

        Path killed = killedAfter(whole, 2, dir.resolve("killed-local-steps"));
        assertEquals(0, Main.run(concat(args(killed, "--resume"), localSteps)));
        assertEquals(expected, weightHash(killed));
        assertEquals(metricsWithoutSeconds(whole), metricsWithoutSeconds(killed));
    }

    /**
     * The replicas' averaged inner state lives on the driver, with the outer optimizer's: checkpointed, and restored by
     * {@code --resume}, so the resumed run ends with the uninterrupted one's bits; a checkpoint of another
     * {@code --inner-state} is refused.
     */
    @Test
    void killedAndResumedRunWithTheAveragedInnerStateEndsWithTheSameWeights() throws IOException {
        String[] localSteps = {"--replicas", "8", "--replica-batch", "32", "--syncs-per-epoch", "3",
            "--inner-state", "average"};
        Path whole = dir.resolve("whole-inner-state");
        assertEquals(0, Main.run(concat(args(whole), localSteps)));
        String expected = weightHash(whole);
        assertTrue(Files.size(whole.resolve("checkpoints/epoch-0002/optimizer-inner_state.npy")) > 0,
                "the replicas' mean momentum is checkpointed");

        Path killed = killedAfter(whole, 2, dir.resolve("killed-inner-state"));
        String[] reset = localSteps.clone();
        reset[reset.length - 1] = "reset";
        assertEquals(2, Main.run(concat(args(killed, "--resume"), reset)), "another inner state is refused");
        assertEquals(0, Main.run(concat(args(killed, "--resume"), localSteps)));
        assertEquals(expected, weightHash(killed));
        assertEquals(metricsWithoutSeconds(whole), metricsWithoutSeconds(killed));
    }

    /**
     * What a run killed (kill -9) right after epoch {@code n}'s checkpoint leaves in its folder, made from the
     * uninterrupted run's: {@code metrics.csv} up to epoch {@code n} and the checkpoints up to it, no model, no
     * {@code _SUCCESS}, no pictures. A checkpoint does not depend on what the run does after writing it, so
     * this is the killed run's folder (the cluster test kills real processes).
     */
    static Path killedAfter(Path whole, int n, Path to) throws IOException {
        Files.createDirectories(to.resolve("checkpoints"));
        List<String> metrics = Files.readAllLines(whole.resolve("metrics.csv"));
        Files.write(to.resolve("metrics.csv"), metrics.subList(0, n + 1));
        for (int e = 1; e <= n; e++) {
            Path from = whole.resolve(String.format("checkpoints/epoch-%04d", e));
            Path into = Files.createDirectory(to.resolve(String.format("checkpoints/epoch-%04d", e)));
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, into.resolve(f.getFileName()));
                }
            }
        }
        assertTrue(Files.isDirectory(whole.resolve(String.format("checkpoints/epoch-%04d", n + 1))),
                "the uninterrupted run went on after epoch " + n);
        return to;
    }

    /** {@code a} with momentum at lr 0.05 instead of Adam (the inner optimizer), then {@code b}. */
    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].equals("adam") ? "momentum" : a[i].equals("2e-3") ? "0.05" : a[i];
        }
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void aDamagedCheckpointIsSkippedForTheNewestCompleteOne() throws IOException {
        Path whole = dir.resolve("whole2");
        assertEquals(0, Main.run(args(whole)));
        Path killed = killedAfter(whole, 3, dir.resolve("damaged"));
        Path w1 = killed.resolve("checkpoints/epoch-0003/W1.npy");
        byte[] bytes = Files.readAllBytes(w1);
        Files.write(w1, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        Files.createDirectories(killed.resolve("checkpoints/.epoch-0004.tmp")); // half-written, never renamed

        assertEquals(0, Main.run(args(killed, "--resume")));  // continues from epoch 2
        assertEquals(weightHash(whole), weightHash(killed));
    }

    @Test
    void resumeWithoutACheckpointIsAUsageError() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(err, true), args(empty, "--resume")));
        assertTrue(err.toString().contains("no complete checkpoint"), err.toString());
        assertNotEquals("", err.toString());
    }
}
