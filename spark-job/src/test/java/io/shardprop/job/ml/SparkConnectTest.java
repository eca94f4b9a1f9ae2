package io.shardprop.job.ml;

import io.shardprop.job.SparkTestBase;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Fetch;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.MlCommandResult;
import org.apache.spark.connect.proto.MlOperator;
import org.apache.spark.connect.proto.MlParams;
import org.apache.spark.connect.proto.MlRelation;
import org.apache.spark.connect.proto.ObjectRef;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.runtime.BoxedUnit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ShardPropClassifier through Spark Connect, as a remote client drives it: Spark's Connect server runs in this JVM (its
 * plugin, on loopback) and finds the estimator and the model through {@code META-INF/services}; a Connect client (the
 * JVM client has no ML API, so it sends the ML protocol's own messages, as PySpark does) fits on a Parquet file,
 * transforms, fetches, saves and reads the model back. The weights are the same bits as an in-process fit.
 */
class SparkConnectTest extends SparkTestBase {

    private static final String CLASSIFIER = "io.shardprop.job.ml.ShardPropClassifier";
    private static final String MODEL = "io.shardprop.job.ml.ShardPropModel";

    private static org.apache.spark.sql.connect.SparkSession client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startConnectServer() {
        start("local[2]", Map.of("spark.plugins", "org.apache.spark.sql.connect.SparkConnectPlugin",
                "spark.connect.grpc.binding.address", "127.0.0.1", "spark.connect.grpc.binding.port", "0"));
        int port = SparkConnectService$.MODULE$.localPort();
        client = org.apache.spark.sql.connect.SparkSession.builder().remote("sc://127.0.0.1:" + port).getOrCreate();
    }

    @AfterAll
    static void stopClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void fitTransformSaveAndLoadThroughAConnectServer() throws Exception {
        String data = dir.resolve("blobs.parquet").toString();
        ShardPropClassifierTest.blobs(300, 6, 11).coalesce(2).write().parquet(data);
        Relation input = client.read().parquet(data).plan().getRoot();

        MlParams params = MlParams.newBuilder()
                .putParams("maxIter", Expression.Literal.newBuilder().setInteger(12).build())
                .putParams("stepSize", Expression.Literal.newBuilder().setDouble(0.1).build())
                .putParams("seed", Expression.Literal.newBuilder().setLong(5).build())
                .putParams("loss", Expression.Literal.newBuilder().setString("xent").build()).build();
        MlCommand fit = MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
                .setEstimator(MlOperator.newBuilder().setName(CLASSIFIER).setUid("shardpropc_connect")
                        .setType(MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
                .setParams(params).setDataset(input)).build();
        String fitted = result(fit).getOperatorInfo().getObjRef().getId();

        // the same fit in this process, on the same file: the same bits
        ShardPropModel local = new ShardPropClassifier("shardpropc_connect").setMaxIter(12).setStepSize(0.1).setSeed(5)
                .set(io.shardprop.job.config.TrainOptions.LOSS, io.shardprop.core.model.Loss.XENT)
                .fit(spark.read().parquet(data));
        List<Row> expected = local.transform(spark.read().parquet(data))
                .selectExpr("label", "prediction", "cast(probability as string)").collectAsList();

        List<Row> scored = transform(fitted, input);
        assertEquals(expected.size(), scored.size());
        int correct = 0;
        for (int i = 0; i < scored.size(); i++) {
            assertEquals(expected.get(i).getDouble(1), scored.get(i).getDouble(1), "row " + i);
            assertEquals(expected.get(i).getString(2), scored.get(i).getString(2), "row " + i + ": probabilities");
            correct += scored.get(i).getDouble(0) == scored.get(i).getDouble(1) ? 1 : 0;
        }
        assertTrue(correct > 0.9 * scored.size(), correct + " of " + scored.size() + " correct");

        MlCommand fetch = MlCommand.newBuilder().setFetch(Fetch.newBuilder()
                .setObjRef(ObjectRef.newBuilder().setId(fitted)).addMethods(Fetch.Method.newBuilder().setMethod("toString")))
                .build();
        String described = result(fetch).getParam().getString();
        assertTrue(described.startsWith("ShardPropModel: uid=shardpropc_connect"), described);

        String saved = dir.resolve("model").toString();
        result(MlCommand.newBuilder().setWrite(MlCommand.Write.newBuilder()
                .setObjRef(ObjectRef.newBuilder().setId(fitted)).setPath(saved).setShouldOverwrite(false)).build());
        assertTrue(Files.isRegularFile(Path.of(saved, "model", "model.json")), "the model folder, as train writes it");
        assertArrayEquals(local.savedModel().params(), ShardPropModel.load(saved).savedModel().params(),
                "saved through Connect: the in-process fit's weights");

        MlCommand read = MlCommand.newBuilder().setRead(MlCommand.Read.newBuilder()
                .setOperator(MlOperator.newBuilder().setName(MODEL).setType(MlOperator.OperatorType.OPERATOR_TYPE_MODEL))
                .setPath(saved)).build();
        MlCommandResult loaded = result(read);
        assertEquals("shardpropc_connect-model", loaded.getOperatorInfo().getUid());
        List<Row> again = transform(loaded.getOperatorInfo().getObjRef().getId(), input);
        for (int i = 0; i < again.size(); i++) {
            assertEquals(scored.get(i).getDouble(1), again.get(i).getDouble(1), "row " + i + " after Read");
        }

        MlCommand unknown = MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
                .setEstimator(MlOperator.newBuilder().setName("io.shardprop.job.ml.NoSuchEstimator").setUid("x")
                        .setType(MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR)).setDataset(input)).build();
        Exception e = assertThrows(Exception.class, () -> result(unknown));
        assertTrue(e.getMessage().contains("Unsupported ML operator"), e.getMessage());
    }

    /**
     * The model {@code id}'s transform of {@code input}, as a remote DataFrame: label, prediction and the probability
     * vector as text (the JVM client cannot decode ML's vector type; PySpark's can).
     */
    private static List<Row> transform(String id, Relation input) {
        return client.newDataFrame(b -> {
            b.setMlRelation(MlRelation.newBuilder().setTransform(MlRelation.Transform.newBuilder()
                    .setObjRef(ObjectRef.newBuilder().setId(id)).setInput(input)));
            return BoxedUnit.UNIT;
        }).selectExpr("label", "prediction", "cast(probability as string)").collectAsList();
    }

    /** Runs an ML command and returns its result. */
    private static MlCommandResult result(MlCommand command) {
        for (ExecutePlanResponse r : scala.jdk.javaapi.CollectionConverters.asJava(
                client.execute(Command.newBuilder().setMlCommand(command).build()))) {
            if (r.hasMlCommandResult()) {
                return r.getMlCommandResult();
            }
        }
        return MlCommandResult.getDefaultInstance();
    }
}
