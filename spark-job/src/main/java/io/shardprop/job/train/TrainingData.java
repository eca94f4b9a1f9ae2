package io.shardprop.job.train;

import io.shardprop.core.model.Mlp;
import io.shardprop.core.train.GradientSource;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.error.UsageException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What a run trains on, whatever it is: MNIST's IDX files ({@link IdxData}), LibSVM, Parquet or CSV rows, or a
 * DataFrame ({@link FrameData}). The run workflow ({@link TrainWorkflow}) asks it for the rows' shape, then for
 * the cached training and test blocks, and it describes itself for {@code model.json}.
 */
public interface TrainingData {

    /**
     * The rows' shape.
     *
     * @param train the training rows, test rows (0 when there is no test set), row width and class count
     */
    record Shape(long train, long test, int width, int classes, long validation,
                 io.shardprop.core.model.TargetScaling targets) {
        /** A shape without validation rows, a classification's or a regression's targets as they are. */
        public Shape(long train, long test, int width, int classes) {
            this(train, test, width, classes, 0, null);
        }
    }

    /**
     * The training and test gradient sources of a run ({@code test} null without a test set); release after it.
     * {@code caches}: what their cached blocks take on Spark (empty in this process).
     */
    record Sources(GradientSource train, GradientSource test, GradientSource validation, Runnable release,
                   java.util.List<CacheReport> caches) {
        public Sources(GradientSource train, GradientSource test, Runnable release) {
            this(train, test, null, release, java.util.List.of());
        }

        /** Sources of cached blocks on Spark, with their reports. */
        public static Sources of(SparkData train, SparkData test) {
            return of(train, test, null);
        }

        /** Sources of cached blocks on Spark ({@code test} and {@code validation} may be null), with their reports. */
        public static Sources of(SparkData train, SparkData test, SparkData validation) {
            java.util.List<CacheReport> caches = new java.util.ArrayList<>();
            java.util.List<SparkData> all = new java.util.ArrayList<>();
            for (SparkData d : new SparkData[]{train, test, validation}) {
                if (d != null) {
                    caches.add(d.cache());
                    all.add(d);
                }
            }
            return new Sources(train, test, validation, () -> all.forEach(SparkData::release),
                    java.util.List.copyOf(caches));
        }
    }

    /** The shape when it is known before Spark starts (IDX headers), else null: then {@link #scan} finds it. */
    Shape knownShape();

    /**
     * Checks every row in Spark jobs and measures them.
     *
     * @throws io.shardprop.core.data.MalformedFileException naming the source and the row
     */
    Shape scan(SparkSession spark);

    /** The training blocks (in replica shards with local steps) and the test blocks, cached on the executors. */
    Sources onSpark(JavaSparkContext sc, TrainConfig cfg, Mlp model, int partitions);

    /** The same in this process ({@code --engine local}). */
    default Sources inProcess(TrainConfig cfg, Mlp model) throws java.io.IOException {
        throw new UsageException("--engine", "--engine local reads --format idx only");
    }

    /** What the run trained on, for {@code model.json} and the mistake pictures. */
    RunData describe(Shape shape);
}
