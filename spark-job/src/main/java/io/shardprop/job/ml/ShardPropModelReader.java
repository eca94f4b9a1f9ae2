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
final class ShardPropModelReader<M extends org.apache.spark.ml.param.Params> extends MLReader<M> {

    private final Class<M> type;
    private final java.util.function.BiFunction<String, SavedModel, M> make;

    /** A reader of {@code type}'s models, each made by {@code make} from the uid and the weights. */
    ShardPropModelReader(Class<M> type, java.util.function.BiFunction<String, SavedModel, M> make) {
        this.type = type;
        this.make = make;
    }

    @Override
    public M load(String path) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
        SavedModel saved = ShardPropModel.loadSaved(new HadoopFs(sc().hadoopConfiguration()),
                HadoopFs.child(FittedModels.storagePath(path), SavedModel.MODEL_DIR));
        M model = make.apply(metadata.uid(), saved);
        metadata.getAndSetParams(model, Option.empty());
        return model;
    }
}
