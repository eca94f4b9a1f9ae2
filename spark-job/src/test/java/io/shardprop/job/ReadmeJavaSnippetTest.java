package io.shardprop.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documentation's Java pipeline (the block after {@code <!-- java-pipeline -->}, in docs/spark-ml.md today:
 * whichever page of README.md and docs/*.md holds it), compiled and run as written:
 * StandardScaler and ShardPropClassifier in a Pipeline, tuned by CrossValidator, saved, reloaded and
 * evaluated, on the checked-in iris sample (4 features, 3 classes).
 */
public class ReadmeJavaSnippetTest extends SparkTestBase {

    static final String MARKER = "<!-- java-pipeline -->";
    static final Path IRIS = Path.of("src/test/resources/data/iris/sample_multiclass_classification_data.txt");

    @Test
    void thePipelineInTheReadmeCompilesRunsAndLearnsIris(@TempDir Path tmp) throws Exception {
        String out = run(tmp, IRIS);
        Matcher m = Pattern.compile("cross-validated accuracy ([0-9.]+), test accuracy ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) >= 0.85, out);
        assertTrue(Double.parseDouble(m.group(2)) >= 0.85, out);
        assertTrue(Files.isRegularFile(tmp.resolve("best/stages").resolve(stageOf(tmp)).resolve("model/model.json")),
                "the fitted ShardPropModel is saved as a model folder");
    }

    /** The same program on MNIST-shaped data (784 pixels, 10 classes) written as LibSVM: any width and class count. */
    @Test
    void thePipelineInTheReadmeRunsOnMnistShapedData(@TempDir Path tmp) throws Exception {
        Path idx = TinyMnist.write(Files.createDirectory(tmp.resolve("idx")), 300, 10, 9, false);
        var images = io.shardprop.core.data.Idx.readImages(Files.newInputStream(idx.resolve("train-images-idx3-ubyte")),
                "train-images-idx3-ubyte");
        byte[] labels = io.shardprop.core.data.Idx.readLabels(Files.newInputStream(idx.resolve("train-labels-idx1-ubyte")),
                "train-labels-idx1-ubyte");
        StringBuilder libsvm = new StringBuilder();
        for (int i = 0; i < labels.length; i++) {
            libsvm.append(labels[i]);
            for (int j = 0; j < 784; j++) {
                int v = images.pixels()[i * 784 + j] & 0xff;
                if (v != 0) {
                    libsvm.append(' ').append(j + 1).append(':').append(v / 255.0);
                }
            }
            if ((images.pixels()[i * 784 + 783] & 0xff) == 0) {
                libsvm.append(" 784:0");  // LibSVM's width is the largest index: every row reaches 784
            }
            libsvm.append('\n');
        }
        Path file = Files.writeString(tmp.resolve("mnist-shaped.txt"), libsvm);
        String out = run(tmp, file);
        assertTrue(out.contains("test accuracy"), out);
        var saved = io.shardprop.job.model.SavedModel.load(new io.shardprop.job.io.HadoopFs(sc.hadoopConfiguration()),
                tmp.resolve("best/stages").resolve(stageOf(tmp)).toString());
        assertEquals(785, saved.layout().inputs());
        assertEquals(10, saved.layout().classes());
    }

    /** Compiles the README's block and runs its main on {@code data}; returns what it printed. */
    private String run(Path tmp, Path data) throws Exception {
        return runBlock(tmp, MARKER, data.toString(), tmp.resolve("best").toString());
    }

    /**
     * Compiles the one java block after {@code marker} in README.md and docs/*.md and runs its main with {@code args};
     * returns what it printed.
     */
    public static String runBlock(Path tmp, String marker, String... args) throws Exception {
        var marked = DocBlocks.all("java").stream().filter(b -> b.lineBefore().equals(marker)).toList();
        assertEquals(1, marked.size(), "one java block after " + marker + " in README.md and docs/*.md");
        String source = marked.get(0).code();
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "the block declares a public class");
        Path file = tmp.resolve(name.group(1) + ".java");
        Files.writeString(file, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, diagnostics, diagnostics, "-cp", System.getProperty("java.class.path"),
                "-d", tmp.toString(), file.toString());
        assertEquals(0, compiled, diagnostics.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[]{tmp.toUri().toURL()},
                ReadmeJavaSnippetTest.class.getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass(name.group(1)).getMethod("main", String[].class).invoke(null, (Object) args);
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return out;
    }

    /** The saved pipeline's ShardProp stage folder, e.g. {@code 1_shardpropc_...-model}. */
    private static String stageOf(Path tmp) throws Exception {
        try (var stages = Files.list(tmp.resolve("best/stages"))) {
            return stages.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("1_")).findFirst().orElseThrow();
        }
    }
}
