package io.shardprop.job.cli;

import io.shardprop.job.TinyMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A block that cannot fit in the executor's memory is refused before anything is read, with a message that says
 * what to change, not an OutOfMemoryError stack: the real Main in a JVM of 480 MB (Spark's minimum) asked for one
 * block of 80,000 images: 63 MB of bytes that the step would expand to 502 MB of float64 (the default cache), or
 * 502 MB of float64 built from the bytes (a float64 cache), neither of which can fit in 288 MB.
 */
class OutOfMemoryTest {

    @Test
    void blocksThatCannotFitAreRefusedNamingTheSettings(@TempDir Path tmp) throws IOException, InterruptedException {
        Path data = TinyMnist.write(java.nio.file.Files.createDirectory(tmp.resolve("data")), 80_000, 10, 1, false);
        for (String cache : List.of("auto", "float64")) {
            String last = run(tmp, data, cache);
            assertTrue(last.startsWith("shardprop train: --block-size: a block of 80000 rows of 785 values takes")
                    && last.contains("use a smaller --block-size or raise spark.executor.memory"), last);
            assertEquals(cache.equals("auto"), last.contains("502.4 MB more while the step expands it"), last);
            assertFalse(last.contains("OutOfMemoryError"), last);
        }
    }

    private static String run(Path tmp, Path data, String cache) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx480m", "-Dspark.master=local[1]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+Ignore")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.shardprop.job.Main", "train",
                "--data", data.toString(), "--config", "../conf/seed.properties", "--epochs", "1",
                "--block-size", "80000", "--cache", cache, "--out", tmp.resolve("out-" + cache).toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals(2, code, output);
        return last;
    }
}
