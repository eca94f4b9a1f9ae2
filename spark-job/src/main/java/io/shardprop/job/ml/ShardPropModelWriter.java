package io.shardprop.job.ml;

import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutClaim;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.model.SavedModel;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Saves a {@link ShardPropModel}: {@code path/metadata} with Spark ML's own params writer (class, uid,
 * column names; what {@code PipelineModel} reads to find the class) and {@code path/model/} as
 * {@code train} writes a model folder ({@code model.json} and {@code .npy} weights). No Java serialization.
 * {@code save} has already checked {@code path} (it fails if it exists, unless {@code overwrite()}).
 */
final class ShardPropModelWriter extends MLWriter {

    private final org.apache.spark.ml.param.Params instance;
    private final SavedModel saved;

    ShardPropModelWriter(org.apache.spark.ml.param.Params instance, SavedModel saved) {
        this.instance = instance;
        this.saved = saved;
    }

    /**
     * Saves under an exclusive claim on {@code path} ({@link OutClaim}): a second save, or a command, on the same path
     * meanwhile is refused.
     *
     * @throws IOException naming the path and the holder when another save or command holds it
     */
    @Override
    public void save(String path) throws IOException {
        HadoopFs fs = new HadoopFs(sc().hadoopConfiguration());
        String target = FittedModels.storagePath(path);
        OutClaim claim;
        try {
            claim = OutClaim.acquire(fs, target, "save", shouldOverwrite() || !fs.exists(target), "save");
        } catch (UsageException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (claim) {
            super.save(path);
        }
    }

    @Override
    public void saveImpl(String path) {
        // DefaultParamsWriter is Scala-private to org.apache.spark.ml but public to Java; it keeps the
        // metadata in exactly the format Spark's readers (and PipelineModel) expect.
        DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
        try {
            saved.save(new HadoopFs(sc().hadoopConfiguration()),
                    HadoopFs.child(FittedModels.storagePath(path), SavedModel.MODEL_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("saving ShardPropModel weights to " + path + " failed: " + e.getMessage(),
                    e);
        }
    }
}
