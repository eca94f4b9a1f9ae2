package io.shardprop.job.output;

import io.shardprop.core.model.Layout;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.Sgd;
import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint records the recipe by option name; a resumed run must repeat it. */
class CheckpointRecipeTest {

    private final HadoopFs fs = new HadoopFs(new Configuration());
    private final Layout layout = new Layout(5, new int[]{3}, 2, false);

    @TempDir
    Path tmp;

    @Test
    void anOptionTheCheckpointDoesNotRecordResumesAtItsDefaultOnly() throws IOException {
        TrainConfig now = TrainConfig.of(OptionValues.defaults());
        Map<String, String> recipe = new java.util.LinkedHashMap<>(now.recipe());
        recipe.remove("precision");  // as a checkpoint written before --precision existed
        Checkpoints ck = new Checkpoints(fs, tmp.toUri().toString());
        ck.write(1, layout, new double[layout.paramCount()], optimizer(), List.of(), recipe);

        assertNotNull(ck.latest(layout, optimizer(), now.recipe()), "float64, the default, is what it trained with");
        TrainConfig float32 = TrainConfig.of(OptionValues.defaults().with(TrainOptions.PRECISION,
                io.shardprop.core.linalg.Precision.FLOAT32));
        UsageException e = assertThrows(UsageException.class, () -> ck.latest(layout, optimizer(), float32.recipe()));
        assertTrue(e.getMessage().contains("--precision float32 (the run: not used)"), e.getMessage());
        TrainConfig other = TrainConfig.of(OptionValues.defaults().with(TrainOptions.LR, 0.5));
        e = assertThrows(UsageException.class, () -> ck.latest(layout, optimizer(), other.recipe()));
        assertTrue(e.getMessage().contains("--lr 0.5 (the run: 1.0E-5)"), e.getMessage());
        assertEquals(1, ck.latest(layout, optimizer(), now.recipe()).epoch());
    }

    private Optimizer optimizer() {
        return new Sgd(layout.paramCount(), 0, 0);
    }
}
