package io.shardprop.job.model;

import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading a model folder: both folder forms, a save/load round trip, and one message per kind of damage. */
class SavedModelTest {

    static final HadoopFs FS = new HadoopFs(new Configuration());

    @TempDir
    Path dir;

    static String problem(Path path) {
        return assertThrows(UsageException.class, () -> SavedModel.load(FS, path.toString())).getMessage();
    }

    @Test
    void loadsAModelFolderOrTheRunFolderAroundIt() throws IOException {
        Path model = ModelFixtures.write(dir.resolve("run").resolve("model"), 8);
        SavedModel a = SavedModel.load(FS, model.toString());
        SavedModel b = SavedModel.load(FS, dir.resolve("run").toString());
        assertEquals(Layout.mnist(8), a.layout());
        assertEquals(Loss.SEED, a.model().loss());
        assertArrayEquals(a.params(), b.params());
        assertEquals(a.dir(), b.dir());
        assertTrue(a.dir().startsWith("file:") && a.dir().endsWith("/run/model"), a.dir());
        assertTrue(a.runDir().endsWith("/run"), a.runDir());
    }

    @Test
    void saveWritesWhatLoadReads() throws IOException {
        SavedModel a = SavedModel.load(FS, ModelFixtures.write(dir.resolve("a"), 8).toString());
        a.save(FS, dir.resolve("b").toString());
        SavedModel b = SavedModel.load(FS, dir.resolve("b").toString());
        assertArrayEquals(a.params(), b.params());
        assertEquals(a.manifest(), b.manifest());
    }

    @Test
    void aFolderWithoutModelJson() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(problem(dir.resolve("empty")).contains("has neither model.json nor model/model.json"));
        assertTrue(problem(dir.resolve("nowhere")).contains("does not exist"));
    }

    @Test
    void aMissingWeightFile() throws IOException {
        Path m = ModelFixtures.write(dir.resolve("m"), 8);
        Files.delete(m.resolve("W2.npy"));
        String p = problem(m);
        assertTrue(p.contains("W2.npy is missing"), p);
    }

    @Test
    void aWeightOfTheWrongShape() throws IOException {
        Path m = ModelFixtures.write(dir.resolve("m"), 8);
        ModelFixtures.writeNpy(m.resolve("W2.npy"), new int[]{8, 9}, new double[72], 0);
        String p = problem(m);
        assertTrue(p.contains("W2.npy: shape [8, 9], expected [8, 10] for 785-8-10"), p);
    }

    @Test
    void aWeightThatIsNotNpy() throws IOException {
        Path m = ModelFixtures.write(dir.resolve("m"), 8);
        Files.writeString(m.resolve("W1.npy"), "not numpy");
        String p = problem(m);
        assertTrue(p.contains("W1.npy") && p.contains("not a .npy file"), p);
    }

    @Test
    void nonFiniteWeights() throws IOException {
        Path m = ModelFixtures.write(dir.resolve("m"), 8);
        double[] w = new double[80];
        w[5] = Double.NaN;
        ModelFixtures.writeNpy(m.resolve("W2.npy"), new int[]{8, 10}, w, 0);
        assertTrue(problem(m).contains("W2.npy: element 5 is NaN"));
    }

    @Test
    void badManifests() throws IOException {
        Path m = ModelFixtures.write(dir.resolve("m"), 8);
        Files.writeString(m.resolve("model.json"), "{\"architecture\": ");
        assertTrue(problem(m).contains("model.json: not valid JSON"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "hinge"));
        assertTrue(problem(m).contains("loss.mode is 'hinge', expected seed or xent"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "seed").replace("\"classes\": 10", "\"classes\": \"ten\""));
        assertTrue(problem(m).contains("architecture.classes has the wrong type"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "seed").replace("\"classes\": 10", "\"classes\": 0"));
        assertTrue(problem(m).contains("architecture.classes must be a positive integer, got 0"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "seed").replace("\"classes\": 10", "\"classes\": 10.5"));
        assertTrue(problem(m).contains("architecture.classes has the wrong type"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "seed").replace("[8]", "[]"));
        assertTrue(problem(m).contains("architecture.hidden must be a non-empty array"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "seed").replace("[8]", "[9]"));
        assertTrue(problem(m).contains("W1.npy: shape [785, 8], expected [785, 9]"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "seed").replace("\"W2.npy\"]", "\"W2.npy\", \"b2.npy\"]"));
        assertTrue(problem(m).contains("weights.files [W1.npy, W2.npy, b2.npy] do not match 785-8-10"), problem(m));
        Files.writeString(m.resolve("model.json"), ModelFixtures.json(8, "seed").replace("\"format_version\": 1", "\"format_version\": 2"));
        assertTrue(problem(m).contains("format_version 2 was written by a newer ShardProp (this one reads up to 1)"),
                problem(m));
    }
}
