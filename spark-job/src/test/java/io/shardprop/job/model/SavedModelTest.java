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

    /** With {@code json} as {@code m}'s model.json, loading fails with a message containing {@code expected}. */
    static void assertManifestProblem(Path m, String json, String expected) throws IOException {
        Files.writeString(m.resolve("model.json"), json);
        String p = problem(m);
        assertTrue(p.contains(expected), p);
    }

    @Test
    void badManifests() throws IOException {
        Path m = ModelFixtures.write(dir.resolve("m"), 8);
        String good = ModelFixtures.json(8, "seed");
        assertManifestProblem(m, "{\"architecture\": ", "model.json: not valid JSON");
        assertManifestProblem(m, ModelFixtures.json(8, "hinge"), "loss.mode is 'hinge', expected seed, xent, squared or huber");
        assertManifestProblem(m, good.replace("\"classes\": 10", "\"classes\": \"ten\""),
                "architecture.classes has the wrong type");
        assertManifestProblem(m, good.replace("\"classes\": 10", "\"classes\": 0"),
                "architecture.classes must be a positive integer, got 0");
        assertManifestProblem(m, good.replace("\"classes\": 10", "\"classes\": 10.5"),
                "architecture.classes has the wrong type");
        assertManifestProblem(m, good.replace("[8]", "[]"), "architecture.hidden must be a non-empty array");
        assertManifestProblem(m, good.replace("[8]", "[9]"), "W1.npy: shape [785, 8], expected [785, 9]");
        assertManifestProblem(m, good.replace("\"W2.npy\"]", "\"W2.npy\", \"b2.npy\"]"),
                "weights.files [W1.npy, W2.npy, b2.npy] do not match 785-8-10");
        assertManifestProblem(m, good.replace("\"format_version\": 1", "\"format_version\": 2"),
                "format_version 2 was written by a newer ShardProp (this one reads up to 1)");
    }
}
