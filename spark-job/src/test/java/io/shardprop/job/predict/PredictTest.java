package io.shardprop.job.predict;

import io.shardprop.core.data.Batch;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;
import io.shardprop.job.Main;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TrainedRuns;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code predict}: one row per image in input order, labels equal to the core forward pass's argmax. */
class PredictTest extends SparkTestBase {

    @TempDir
    Path tmp;

    /** Labels and probabilities computed in one process with core's forward pass. */
    record Expected(int[] labels, double[][] p) {
        static Expected of(TrainedRuns.Run run) throws IOException {
            SavedModel m = SavedModel.load(new HadoopFs(sc.hadoopConfiguration()), run.dir().toString());
            Batch b = run.testBatch();
            Trace v = m.model().forward(m.params(), b.x(), Trace.allocate(m.layout(), b.size()));
            int[] labels = new int[b.size()];
            double[][] p = new double[b.size()][10];
            for (int i = 0; i < b.size(); i++) {
                labels[i] = Mlp.argmax(v.logp(), i);
                for (int j = 0; j < 10; j++) {
                    // seed: logp = log(p + 1e-12); xent: logp = log(p)
                    p[i][j] = Math.exp(v.logp().get(i, j)) - (m.model().loss() == Loss.SEED ? 1e-12 : 0);
                }
            }
            return new Expected(labels, p);
        }
    }

    static void assertRows(Expected want, List<Row> rows) {
        assertEquals(want.labels.length, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(i, ((Number) r.get(0)).longValue(), "input order");
            assertEquals(want.labels[i], ((Number) r.get(1)).intValue(), "label of image " + i);
            double sum = 0;
            for (int j = 0; j < 10; j++) {
                assertEquals(want.p[i][j], r.getDouble(2 + j), 1e-9, "p" + j + " of image " + i);
                sum += r.getDouble(2 + j);
            }
            assertEquals(1.0, sum, 1e-11); // the seed loss's Softmax divides by (Σ + 1e-12)
        }
    }

    @Test
    void csvHasOneRowPerImageInInputOrderWithCoreLabels() throws IOException {
        TrainedRuns.Run run = TrainedRuns.deep();
        Path out = tmp.resolve("pred.csv");
        assertEquals(0, Main.run("predict", "--model", run.dir().toString(), "--images", run.testImages().toString(),
                "--out", out.toString(), "--partitions", "3", "--block-size", "7"));
        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
        }
        assertEquals(1, parts.size(), "one CSV file");
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        List<String> lines = Files.readAllLines(parts.get(0));
        assertEquals("index,prediction,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", lines.get(0));
        List<Row> rows = spark.read().option("header", "true").option("inferSchema", "true").csv(out.toString())
                .collectAsList();
        assertRows(Expected.of(run), rows);
    }

    @Test
    void parquetOnRealMnistAndOverwrite() throws IOException {
        TrainedRuns.Run run = TrainedRuns.seed();
        Path out = tmp.resolve("pred.parquet");
        Files.createDirectories(out);
        String[] args = {"predict", "--model", run.model().toString(), "--images", run.testImages().toString(),
            "--out", out.toString(), "--overwrite"};
        assertEquals(0, Main.run(args));
        List<Row> rows = spark.read().parquet(out.toString()).orderBy("index").collectAsList();
        assertRows(Expected.of(run), rows);
        var schema = spark.read().parquet(out.toString()).schema();
        assertEquals(List.of(Predictions.schema(10).fieldNames()), List.of(schema.fieldNames()));
        assertEquals(DataTypes.LongType, schema.apply("index").dataType());
        assertEquals(DataTypes.IntegerType, schema.apply("prediction").dataType());
    }
}
