package io.shardprop.job;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ```python} block of README.md and docs/*.md, run as written from a folder laid out like the project
 * ({@code out/run}: a small trained run; {@code out/pred.csv}: {@code predict}'s CSV of it; {@code out/model.onnx}:
 * its float32 ONNX export; {@code data/mnist}: the test files it was measured on). A block that imports onnxruntime is
 * skipped where python3 has none (CI installs it). The numpy snippet of docs/evaluate-predict.md must reproduce
 * {@code predict}'s labels and probabilities. Skipped where {@code python3} with numpy is missing (DocBlocksTest
 * still byte-compiles every block).
 */
class ReadmeNumpySnippetTest extends SparkTestBase {

    static final String PREDICT_CHECK = "same labels as predict:";

    @Test
    void everyPythonBlockRunsOnATrainedRun(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(hasNumpy(), "python3 with numpy is not available");
        List<DocBlocks.Block> blocks = DocBlocks.all("python");
        assertFalse(blocks.isEmpty(), "python blocks in the docs");
        assertTrue(blocks.stream().anyMatch(b -> b.code().contains(PREDICT_CHECK)), "the numpy snippet is there");
        TrainedRuns.Run run = TrainedRuns.seed();
        Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(tmp.resolve("data"));
        Files.createSymbolicLink(tmp.resolve("out").resolve("run"), run.dir().toAbsolutePath());
        Files.createSymbolicLink(tmp.resolve("data").resolve("mnist"), run.testImages().toAbsolutePath().getParent());
        assertEquals("t10k-images-idx3-ubyte", run.testImages().getFileName().toString());
        assertEquals(0, Main.run("predict", "--model", run.dir().toString(), "--images", run.testImages().toString(),
                "--out", tmp.resolve("out").resolve("pred.csv").toString()));

        assertEquals(0, Main.run("export", "--model", run.dir().toString(), "--out",
                tmp.resolve("out").resolve("model.onnx").toString()));
        boolean onnxRuntime = hasPython("onnxruntime");
        for (DocBlocks.Block block : blocks) {
            if (block.code().contains("import") && block.code().contains("onnxruntime") && !onnxRuntime) {
                System.out.println(block.where() + ": skipped, python3 has no onnxruntime (pip install onnxruntime)");
                continue;
            }
            Files.writeString(tmp.resolve("snippet.py"), block.code());
            Process p = new ProcessBuilder("python3", "snippet.py").directory(tmp.toFile()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), block.where() + ": python finishes");
            assertEquals(0, p.exitValue(), block.where() + ":\n" + out);
            if (block.code().contains(PREDICT_CHECK)) {
                assertTrue(out.contains(PREDICT_CHECK + " True"), block.where() + ":\n" + out);
                double diff = Double.parseDouble(out.substring(out.lastIndexOf(':') + 1).strip());
                assertTrue(diff < 1e-9, block.where() + ":\n" + out);
            }
        }
    }

    static boolean hasNumpy() {
        return hasPython("numpy");
    }

    /** Whether {@code python3} can import {@code module}. */
    static boolean hasPython(String module) {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import " + module).redirectErrorStream(true).start();
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
