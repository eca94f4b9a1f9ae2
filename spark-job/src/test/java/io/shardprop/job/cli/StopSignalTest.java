package io.shardprop.job.cli;

import io.shardprop.job.Main;
import io.shardprop.job.TinyMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a training driver (the real Main in its own JVM, on {@code local[2]}): one line, exit code 143,
 * the run folder marked {@code _FAILED} with its checkpoints, and {@code --resume} finishes it; logging is
 * conf/log4j2.properties, as the scripts use it. The signal is
 * sent once the second epoch line is out, so it always lands in the middle of the (very long) run.
 */
class StopSignalTest {

    @Test
    void sigtermStopsCleanlyAndTheRunResumes(@TempDir Path tmp) throws Exception {
        Path data = TinyMnist.write(Files.createDirectory(tmp.resolve("data")), 200, 20, 1, false);
        Path out = tmp.resolve("out");
        List<String> train = List.of("train", "--data", data.toString(), "--out", out.toString(), "--hidden", "8",
                "--loss", "xent", "--lr", "0.01", "--batch-size", "20", "--checkpoint-every", "1");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
                "-Dlog4j.configurationFile=" + Path.of("../conf/log4j2.properties").toAbsolutePath().toUri(),
                "-Dshardprop.log.file=" + tmp.resolve("driver.log")));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+Ignore")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(train);
        cmd.addAll(List.of("--epochs", "100000"));
        Path stderr = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        CountDownLatch secondEpoch = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("epoch 2/")) {
                        secondEpoch.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        try {
            // hang guards only: the test waits for events, never for a length of time
            assertTrue(secondEpoch.await(5, TimeUnit.MINUTES), "no second epoch line: " + Files.readString(stderr));
            p.destroy();  // SIGTERM
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the driver did not stop");
        } finally {
            p.destroyForcibly();
        }
        reader.join();
        String err = Files.readString(stderr);
        assertEquals(143, p.exitValue(), err);
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("shardprop train: interrupted at epoch \\d+ \\(SIGTERM\\); resume with --resume"), err);
        assertFalse(err.contains("\tat "), "no stack trace on the console: " + err);
        assertTrue(Files.readString(tmp.resolve("driver.log")).contains("io.shardprop.job.error.Interrupted: interrupted"),
                "the stack trace is in the driver's log file");
        assertTrue(Files.readString(out.resolve("_FAILED")).startsWith("interrupted at epoch "));
        assertTrue(Files.notExists(out.resolve("_RUNNING")) && Files.notExists(out.resolve("model")));
        int done;
        try (var ck = Files.list(out.resolve("checkpoints"))) {
            done = ck.map(c -> c.getFileName().toString()).filter(n -> n.matches("epoch-\\d+"))
                    .map(n -> Integer.parseInt(n.substring(6))).max(Comparator.naturalOrder()).orElseThrow();
        }
        assertTrue(done >= 2, "checkpoints up to epoch " + done);
        List<String> resume = new ArrayList<>(train);
        resume.addAll(List.of("--engine", "local", "--epochs", Integer.toString(done + 1), "--resume"));
        assertEquals(0, Main.run(resume.toArray(String[]::new)));
        assertTrue(Files.exists(out.resolve("_SUCCESS")) && Files.notExists(out.resolve("_FAILED")));
        assertEquals(done + 2, Files.readAllLines(out.resolve("metrics.csv")).size());
    }
}
