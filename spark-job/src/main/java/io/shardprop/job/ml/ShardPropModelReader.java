package io.shardprop.job.ml;

import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Loads what {@link ShardPropModelWriter} saved: the params metadata (uid, column names) through Spark ML's
 * own reader, the weights from {@code path/model/} through {@link SavedModel#load}, shapes checked.
 */
final class ShardPropModelReader extends MLReader<ShardPropModel> {

    @Override
    public ShardPropModel load(String path) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                ShardPropModel.class.getName());
        SavedModel saved = ShardPropModel.loadSaved(new HadoopFs(sc().hadoopConfiguration()),
                HadoopFs.child(path, SavedModel.MODEL_DIR));
        ShardPropModel model = new ShardPropModel(metadata.uid(), saved);
        metadata.getAndSetParams(model, Option.empty());
        return model;
    }
}
