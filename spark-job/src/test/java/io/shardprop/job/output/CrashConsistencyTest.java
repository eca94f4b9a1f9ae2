package io.shardprop.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.core.testing.RealData;
import io.shardprop.job.testing.BudgetFileSystem;
import io.shardprop.job.testing.MainRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small form of scripts/crash-test.sh: a run with a checkpoint every epoch (the notebook's model on MNIST, the
 * single-process engine, so that each run is short) stopped by a full disk at ten byte budgets (Hadoop's local file
 * system made full after N bytes: {@link BudgetFileSystem}) and by {@code kill -9} of its JVM at random instants;
 * after each, the folder holds no temporary file and no claim of a live owner, and either {@code --resume} reaches the
 * uninterrupted run's weights, or the folder says in one line why not and {@code --overwrite} does.
 */
class CrashConsistencyTest {

    private static final int EPOCHS = 4;

    @TempDir
    static Path dir;
    private static String reference;

    @BeforeAll
    static void uninterrupted() throws IOException {
        System.setProperty("spark.hadoop.fs.budget.impl", BudgetFileSystem.class.getName());
        System.setProperty("spark.hadoop.fs.budget.impl.disable.cache", "true");
        Path ref = dir.resolve("reference");
        MainRun r = MainRun.of(train(ref.toString()));
        assertEquals(0, r.code(), r.err());
        reference = hash(ref);
    }

    @AfterAll
    static void clear() {
        System.clearProperty("spark.hadoop.fs.budget.impl");
        System.clearProperty("spark.hadoop.fs.budget.impl.disable.cache");
        BudgetFileSystem.REMAINING.set(Long.MAX_VALUE);
    }

    static String[] train(String out, String... more) {
        Path mnist = RealData.mnistDir();
        List<String> args = new ArrayList<>(List.of("train", "--engine", "local", "--hidden", "100", "--loss", "seed",
                "--lr", "1e-5", "--init", "normal", "--epochs", String.valueOf(EPOCHS),
                "--checkpoint-every", "1", "--train-images", mnist.resolve("train-images-idx3-ubyte").toString(),
                "--train-labels", mnist.resolve("train-labels-idx1-ubyte").toString(),
                "--test-images", mnist.resolve("t10k-images-idx3-ubyte").toString(),
                "--test-labels", mnist.resolve("t10k-labels-idx1-ubyte").toString(), "--out", out));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aFullDiskAtTenBudgetsLosesNothing() throws IOException {
        BudgetFileSystem.WRITTEN.set(0);
        Path whole = dir.resolve("whole");
        assertEquals(0, MainRun.of(train("budget:" + whole)).code());
        long total = BudgetFileSystem.WRITTEN.get();
        for (int k = 0; k < 10; k++) {
            long budget = total * (2 * k + 1) / 20;  // 5 %, 15 %, … 95 % of what a run writes
            Path out = dir.resolve("budget-" + k);
            BudgetFileSystem.REMAINING.set(budget);
            MainRun full = MainRun.of(train("budget:" + out));
            BudgetFileSystem.REMAINING.set(Long.MAX_VALUE);  // space freed
            assertEquals(1, full.code(), budget + " bytes: " + full.err());
            assertEquals(1, full.err().strip().lines().count(), full.err());
            assertTrue(full.err().contains("failed: no space left writing budget:" + out), full.err());
            assertTrue(full.err().contains("bytes): No space left on device; free space there"), full.err());
            String found = checkLeftClean(out);
            System.out.printf("budget %,d of %,d bytes: %s%n", budget, total, found);
            recover(out, found);
        }
    }

    @Test
    void killedAtRandomInstantsLosesNothing() throws Exception {
        SplittableRandom random = new SplittableRandom(20261204);
        for (int k = 0; k < 3; k++) {
            Path out = dir.resolve("kill-" + k);
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx2g"));
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")
                            || a.startsWith("--add-modules"))
                    .forEach(command::add);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.shardprop.job.Main"));
            command.addAll(List.of(train(out.toString())));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("kill-" + k + ".log").toFile()).start();
            long delay = 1500 + random.nextLong(6000);
            boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
            p.destroyForcibly();  // SIGKILL on Linux: no shutdown hook, no _FAILED
            p.waitFor();
            String found = Files.exists(out) ? checkLeftClean(out) : "nothing written";
            System.out.printf("kill -9 after %d ms%s: %s%n", delay, ended ? " (it had ended)" : "", found);
            if (Files.exists(out)) {
                recover(out, found);
            }
        }
    }

    /** No temporary file anywhere, no claim (its owner is gone: a stale claim is taken over), one marker. */
    private static String checkLeftClean(Path out) throws IOException {
        try (Stream<Path> all = Files.walk(out)) {
            List<Path> tmp = all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty() || tmp.stream().allMatch(CrashConsistencyTest::killedMidWrite), "left: " + tmp);
        }
        List<String> markers = Stream.of(RunOutput.RUNNING, RunOutput.SUCCESS, RunOutput.FAILED)
                .filter(m -> Files.exists(out.resolve(m))).toList();
        assertEquals(1, markers.size(), out + ": " + markers);
        String checkpoints;
        try (Stream<Path> c = Files.list(out.resolve("checkpoints"))) {
            checkpoints = c.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                    .reduce((a, b) -> b).orElse("no checkpoint");
        } catch (java.nio.file.NoSuchFileException e) {
            checkpoints = "no checkpoint";
        }
        return markers.get(0) + ", " + checkpoints;
    }

    /** A kill can stop a write half-way: its temporary file stays, but only under a name no reader takes. */
    private static boolean killedMidWrite(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /**
     * After a stop: a second command may not mix with it or silently replace it. A plain run is refused in one line
     * saying what the folder holds; {@code --resume} continues to the reference weights, or, with no checkpoint,
     * says so in one line and {@code --overwrite} does.
     */
    private static void recover(Path out, String found) throws IOException {
        String uri = found.contains("budget") ? "budget:" + out : out.toString();
        if (Files.exists(out.resolve(RunOutput.SUCCESS))) {
            assertEquals(reference, hash(out), "a finished run is the reference");
            return;
        }
        MainRun plain = MainRun.of(train(out.toString()));
        assertEquals(2, plain.code(), plain.err());
        assertTrue(plain.err().contains("already exists: a run that "), plain.err());
        MainRun resume = MainRun.of(train(out.toString(), "--resume"));
        if (resume.code() == 2) {
            assertTrue(resume.err().contains("--resume: no complete checkpoint in"), resume.err());
            assertEquals(1, resume.err().strip().lines().count(), resume.err());
            MainRun again = MainRun.of(train(out.toString(), "--overwrite"));
            assertEquals(0, again.code(), again.err());
        } else {
            assertEquals(0, resume.code(), resume.err());
        }
        assertEquals(reference, hash(out), uri + " (" + found + ") continued to other weights");
        assertFalse(Files.exists(out.resolveSibling("." + out.getFileName() + ".claim")), "claim released");
    }

    private static String hash(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("model").resolve("model.json").toFile())
                .get("weights").get("sha256").asText();
    }

    private static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
