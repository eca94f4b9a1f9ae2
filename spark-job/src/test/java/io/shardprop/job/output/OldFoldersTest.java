package io.shardprop.job.output;

import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.Sgd;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.ModelFiles;
import io.shardprop.job.model.SavedModel;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Folders written by an earlier version still load: the checked-in run of {@code folders/run-0.1.0} (its
 * README says how it was made), whose checkpoints store biases as {@code [1, k]} and its model as {@code [k]}.
 */
class OldFoldersTest {

    private static final Path RUN = Path.of("src/test/resources/folders/run-0.1.0");
    private final HadoopFs fs = new HadoopFs(new Configuration());

    @TempDir
    Path tmp;

    @Test
    void theModelFolderLoadsWithTheWeightsItsManifestNames() {
        SavedModel saved = SavedModel.load(fs, RUN.toUri().toString());
        assertEquals(785, saved.layout().inputs());
        assertEquals(10, saved.layout().classes());
        String recorded = saved.manifest().weights().sha256();
        assertEquals(64, recorded.length());
        assertEquals(recorded, Checkpoints.weightsSha256(saved.params()));
    }

    @Test
    void theNewestCheckpointLoadsWithTheFinalWeightsAndMomentum() throws IOException {
        SavedModel saved = SavedModel.load(fs, RUN.toUri().toString());
        Optimizer momentum = new Sgd(saved.params().length, 0.9, 0);
        Checkpoints.Loaded latest = new Checkpoints(fs, RUN.toUri().toString()).latest(saved.layout(), momentum);
        assertNotNull(latest, "no checkpoint loaded");
        assertEquals(2, latest.epoch());
        assertArrayEquals(saved.params(), latest.params(), "the last checkpoint holds the run's final weights");
        assertEquals(2, latest.metrics().size());
        double[] velocity = momentum.state().get("velocity");
        long steps = ((Number) saved.manifest().optimizer().get("steps")).longValue();
        assertTrue(steps > 0, saved.manifest().toString());
        assertEquals(steps, momentum.steps());
        assertTrue(java.util.Arrays.stream(velocity).anyMatch(v -> v != 0), "the velocity was restored");
    }

    @Test
    void whatTheCurrentCodeWritesReadsBackTheSame() throws IOException {
        SavedModel saved = SavedModel.load(fs, RUN.toUri().toString());
        String dir = tmp.resolve("copy").toUri().toString();
        saved.save(fs, dir);
        SavedModel again = SavedModel.load(fs, dir);
        assertArrayEquals(saved.params(), again.params());
        // the weight files are the same bytes as 0.1.0's model folder
        for (String name : saved.layout().fileNames()) {
            assertArrayEquals(Files.readAllBytes(RUN.resolve("model").resolve(name)),
                    Files.readAllBytes(tmp.resolve("copy").resolve(name)), name);
        }
        Map<String, byte[]> files = ModelFiles.encode(saved.layout(), saved.params(), Map.of());
        assertEquals(saved.layout().fileNames().length, files.size());
    }
}
