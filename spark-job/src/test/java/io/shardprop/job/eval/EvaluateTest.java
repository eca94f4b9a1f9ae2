package io.shardprop.job.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.core.data.Batch;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;
import io.shardprop.job.Main;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TrainedRuns;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.report.Mistake;
import io.shardprop.job.report.Plots;
import io.shardprop.job.train.SparkData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code evaluate} against the run's own test pass, against a single-process count, and its output files. */
class EvaluateTest extends SparkTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Runs evaluate on the run's test files; returns the parsed evaluation.json. */
    static JsonNode evaluate(TrainedRuns.Run run, Path modelArg, Path out, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--model", modelArg.toString(),
                "--test-images", run.testImages().toString(), "--test-labels", run.testLabels().toString()));
        if (out != null) {
            args.addAll(List.of("--out", out.toString()));
        }
        args.addAll(List.of(extra));
        assertEquals(0, Main.run(args.toArray(String[]::new)), String.join(" ", args));
        Path dir = out != null ? out : run.dir().resolve("evaluation");
        return JSON.readTree(dir.resolve(EvaluationOutput.JSON).toFile());
    }

    @Test
    void accuracyEqualsTheLastEpochsTestAccuracyOnRealMnist() throws IOException {
        TrainedRuns.Run run = TrainedRuns.seed();
        JsonNode e = evaluate(run, run.dir(), tmp.resolve("eval"));
        double[] last = run.lastEpoch();
        assertEquals(10000, e.get("count").asLong());
        assertEquals(last[4], e.get("accuracy").asDouble(), 0.0, "test accuracy");
        assertEquals(last[3], e.get("loss").asDouble(), 0.0, "test loss: the same exact sums as training's test pass");
        assertPictures(tmp.resolve("eval"), 10000 - e.get("correct").asLong());
    }

    @Test
    void deeperModelWithBiasesAndTheDefaultOutputFolder() throws IOException {
        TrainedRuns.Run run = TrainedRuns.deep();
        JsonNode e = evaluate(run, run.model(), null, "--partitions", "3", "--block-size", "50", "--overwrite");
        double[] last = run.lastEpoch();
        assertEquals(last[4], e.get("accuracy").asDouble(), 0.0, "test accuracy");
        assertEquals(last[3], e.get("loss").asDouble(), 0.0, "test loss: the same exact sums as training's test pass");
        assertTrue(e.get("model").get("architecture").asText().startsWith("785-24-12-10"), e.toString());

        // confusion.csv and the JSON agree with each other and with the totals
        List<String> csv = Files.readAllLines(run.dir().resolve("evaluation").resolve(EvaluationOutput.CONFUSION_CSV));
        assertEquals("true,pred_0,pred_1,pred_2,pred_3,pred_4,pred_5,pred_6,pred_7,pred_8,pred_9", csv.get(0));
        long total = 0, diagonal = 0;
        for (int t = 0; t < 10; t++) {
            String[] cells = csv.get(t + 1).split(",");
            assertEquals(String.valueOf(t), cells[0]);
            for (int p = 0; p < 10; p++) {
                long c = Long.parseLong(cells[p + 1]);
                assertEquals(c, e.get("confusion").get("counts").get(t).get(p).asLong());
                total += c;
                diagonal += t == p ? c : 0;
            }
            assertEquals(e.get("per_class").get(t).get("support").asLong(), csvRowSum(cells));
        }
        assertEquals(e.get("count").asLong(), total);
        assertEquals(e.get("correct").asLong(), diagonal);
        assertPictures(run.dir().resolve("evaluation"), total - diagonal);
    }

    static long csvRowSum(String[] cells) {
        long s = 0;
        for (int i = 1; i < cells.length; i++) {
            s += Long.parseLong(cells[i]);
        }
        return s;
    }

    static void assertPictures(Path dir, long mistakes) throws IOException {
        BufferedImage confusion = ImageIO.read(dir.resolve(EvaluationOutput.CONFUSION_PNG).toFile());
        assertNotNull(confusion, "confusion.png decodes");
        assertEquals(Plots.CONFUSION_WIDTH + "x" + Plots.CONFUSION_HEIGHT, confusion.getWidth() + "x" + confusion.getHeight());
        BufferedImage grid = ImageIO.read(dir.resolve(EvaluationOutput.MISTAKES_PNG).toFile());
        assertNotNull(grid, "mistakes.png decodes");
        int[] size = Plots.mistakesSize((int) Math.min(mistakes, Plots.MAX_MISTAKES));
        assertEquals(size[0] + "x" + size[1], grid.getWidth() + "x" + grid.getHeight());
    }

    /**
     * The distributed counts equal a single-process pass, and the worst mistakes do not depend on how the
     * blocks are cut and spread.
     */
    @Test
    void confusionAndWorstMistakesMatchASingleProcessPassForAnyPartitioning() throws IOException {
        TrainedRuns.Run run = TrainedRuns.deep();
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        SavedModel saved = SavedModel.load(fs, run.dir().toString());
        Batch test = run.testBatch();

        Mlp mlp = saved.model();
        Trace v = mlp.forward(saved.params(), test.x(), Trace.allocate(saved.layout(), test.size()));
        long[][] want = new long[10][10];
        for (int i = 0; i < test.size(); i++) {
            want[test.labels()[i]][Mlp.argmax(v.logp(), i)]++;
        }

        Evaluation first = null;
        for (int[] pb : new int[][]{{1, 4096}, {2, 37}, {5, 11}}) {
            IdxFile images = IdxFile.open(fs, run.testImages().toUri().toString());
            IdxFile labels = IdxFile.open(fs, run.testLabels().toUri().toString());
            SparkData blocks = SparkData.load(sc, images, labels, pb[1], pb[0], mlp, Precision.FLOAT64, "test")
                    .keepMistakes(Plots.MAX_MISTAKES);
            Evaluation e = Evaluator.of(blocks.evaluation(saved.params()), 28, 28);
            blocks.release();
            assertArrayEquals(want, e.confusion(), pb[0] + " partitions");
            assertEquals(Mlp.stats(v.logp(), test.labels()).correct(), e.stats().correct());
            assertTrue(e.worst().size() == Math.min(Plots.MAX_MISTAKES, e.mistakes()) && e.mistakes() > 0);
            for (int i = 1; i < e.worst().size(); i++) {
                assertTrue(e.worst().get(i - 1).confidence() >= e.worst().get(i).confidence(), "worst first");
            }
            for (Mistake m : e.worst()) {
                assertTrue(m.trueLabel() != m.predicted() && m.confidence() > 0.1 && m.confidence() <= 1.0, m.toString());
            }
            if (first == null) {
                first = e;
            } else {
                // the same samples in the same order; the block size may change a probability in its last bits
                assertEquals(first.worst().size(), e.worst().size());
                for (int i = 0; i < e.worst().size(); i++) {
                    Mistake a = first.worst().get(i), b = e.worst().get(i);
                    assertArrayEquals(a.pixels(), b.pixels(), "mistake " + i);
                    assertEquals(a.trueLabel() + "->" + a.predicted(), b.trueLabel() + "->" + b.predicted());
                    assertEquals(a.confidence(), b.confidence(), 1e-12);
                }
            }
        }
    }
}
