package io.shardprop.job;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's numpy snippet, run as written (from a folder laid out like the project: {@code out/run},
 * {@code out/pred.csv}, {@code data/mnist}) against a trained model and {@code predict}'s CSV. Skipped where
 * {@code python3} with numpy is missing.
 */
class ReadmeNumpySnippetTest extends SparkTestBase {

    static final String SECTION = "## Evaluate, predict and Spark ML";

    @Test
    void numpySnippetReproducesPredictsLabels(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(hasNumpy(), "python3 with numpy is not available");
        String snippet = snippet(Files.readString(Path.of("..", "README.md")));
        TrainedRuns.Run run = TrainedRuns.seed();
        Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(tmp.resolve("data"));
        Files.createSymbolicLink(tmp.resolve("out").resolve("run"), run.dir().toAbsolutePath());
        Files.createSymbolicLink(tmp.resolve("data").resolve("mnist"), run.testImages().toAbsolutePath().getParent());
        assertEquals("t10k-images-idx3-ubyte", run.testImages().getFileName().toString());
        assertEquals(0, Main.run("predict", "--model", run.dir().toString(), "--images", run.testImages().toString(),
                "--out", tmp.resolve("out").resolve("pred.csv").toString()));
        Files.writeString(tmp.resolve("snippet.py"), snippet);

        Process p = new ProcessBuilder("python3", "snippet.py").directory(tmp.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python finishes");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("same labels as predict: True"), out);
        double diff = Double.parseDouble(out.substring(out.lastIndexOf(':') + 1).strip());
        assertTrue(diff < 1e-9, out);
    }

    /** The first {@code ```python} block after the section heading. */
    static String snippet(String readme) {
        int section = readme.indexOf(SECTION);
        assertTrue(section >= 0, "README has the section " + SECTION);
        int start = readme.indexOf("```python\n", section);
        assertTrue(start >= 0, "a python block in the section");
        start += "```python\n".length();
        return readme.substring(start, readme.indexOf("\n```", start)) + "\n";
    }

    static boolean hasNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
