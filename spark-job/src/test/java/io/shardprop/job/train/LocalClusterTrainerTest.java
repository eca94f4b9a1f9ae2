package io.shardprop.job.train;

import io.shardprop.core.model.Init;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TinyMnist;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkExecutorInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Function1;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.shardprop.job.train.DistributedTrainerTest.ADAM;
import static io.shardprop.job.train.DistributedTrainerTest.SEED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The trainer on separate executor JVMs: {@code local-cluster[2,1,1024]} runs a standalone Master and two
 * Workers inside this JVM, and each Worker launches an executor JVM as on a real cluster. Blocks are read and
 * cached in those JVMs, the weights travel as broadcasts, the {@code BlockSums} come back serialised, failed
 * tasks are retried in another JVM, and the weights are still the bits of the {@code local[2]} run.
 *
 * <p>How this runs under Surefire, without a Spark installation or a packaged jar (Spark 4.2's code):
 * <ul>
 *   <li>{@code spark.testing} (a system property of this JVM) makes {@code StandaloneSchedulerBackend} put
 *       this JVM's {@code java.class.path} on the executors' command line. Surefire sets that property to the
 *       test classpath (its real one is a manifest-only booter jar): Spark and its dependencies from the Maven
 *       repository, our {@code target/classes} and {@code target/test-classes}, shardprop-core. So the test
 *       runs in the {@code test} phase, before {@code package}, from a clean clone; the lambdas of this class
 *       reach the executors too.</li>
 *   <li>With {@code spark.testing}, the in-JVM Workers take their Spark home from {@code spark.test.home}
 *       (asserted to be set) and work in temporary folders (deleted when this JVM exits; executor logs are
 *       there). The home is only where the launcher looks for {@code jars/} and {@code conf/}: an empty folder
 *       does.</li>
 *   <li>A Worker builds the executor command with the launcher's {@code WorkerCommandBuilder}, whose
 *       environment is the app's {@code spark.executorEnv.*}: {@code SPARK_SCALA_VERSION=2.13} (else it looks
 *       for {@code <home>/launcher/target/scala-2.13}: "Cannot find any build directories") and
 *       {@code SPARK_TESTING=1} (else {@code <home>/jars} must exist: "Library directory ... does not exist").
 *       It adds the {@code --add-opens} flags itself.</li>
 * </ul>
 * Both properties are set for this class only and restored afterwards: other test classes run as usual.
 */
class LocalClusterTrainerTest extends SparkTestBase {

    static final String MASTER = "local-cluster[2,1,1024]";
    static final int PARTITIONS = 4;  // two per executor; local[2] runs with 2

    @TempDir
    static Path dir;
    static double[] seedLocal;
    static double[] adamLocal;
    static List<EpochMetrics> seedLocalEpochs;
    static final Map<String, String> saved = new HashMap<>();

    @BeforeAll
    static void referenceOnLocalThenStartTheCluster() throws Exception {
        TinyMnist.write(dir, DistributedTrainerTest.TRAIN, DistributedTrainerTest.TEST, 42, false);

        // The reference: the same runs on local[2] (SparkTestBase started it).
        seedLocal = Init.NORMAL.draw(SEED.model().layout(), 7);
        seedLocalEpochs = DistributedTrainerTest.distributed(SEED, dir, "", 2, seedLocal);
        adamLocal = Init.NORMAL.draw(ADAM.model().layout(), 7);
        DistributedTrainerTest.distributed(ADAM, dir, "", 2, adamLocal);

        Path home = Path.of("target", "local-cluster-home").toAbsolutePath();
        Files.createDirectories(home);
        setProperty("spark.testing", "true");
        setProperty("spark.test.home", home.toString());
        start(MASTER, Map.of(
                "spark.executor.memory", "512m",
                "spark.executorEnv.SPARK_TESTING", "1",
                "spark.executorEnv.SPARK_SCALA_VERSION", "2.13",
                "spark.executorEnv.OPENBLAS_NUM_THREADS", "1"));
        awaitExecutors(2, 120_000);
    }

    @AfterAll
    static void stopTheCluster() {
        stopSpark();
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    static void setProperty(String key, String value) {
        saved.put(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    /** Waits until {@code n} executors (besides the driver) have registered. */
    static void awaitExecutors(int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (sc.sc().statusTracker().getExecutorInfos().length < n + 1) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(n + " executors did not register in " + millis + " ms (the"
                        + " Workers' errors, e.g. from ExecutorRunner, are in this test's output)");
            }
            Thread.sleep(100);
        }
    }

    @Test
    void executorsAreSeparateJvms() throws InterruptedException {
        awaitExecutors(2, 120_000);  // a condition, not a sleep (met already after the class's set-up)
        long driver = ProcessHandle.current().pid();
        // A barrier stage launches its two tasks together or not at all, and each executor has one core: the
        // tasks run at the same time (both pass the barrier), so in two executors, whatever the timing.
        Function1<Iterator<Integer>, Iterator<Long>> pid = (Function1<Iterator<Integer>, Iterator<Long>> & Serializable)
                partition -> {
                    BarrierTaskContext.get().barrier();
                    return CollectionConverters.asScala(List.of(ProcessHandle.current().pid()).iterator());
                };
        List<Long> perTask = sc.parallelize(List.of(0, 1), 2).rdd().barrier()
                .mapPartitions(pid, false, ClassTag$.MODULE$.<Long>apply(Long.class)).toJavaRDD().collect();
        Set<Long> pids = new HashSet<>(perTask);
        assertEquals(2, pids.size(), "executor JVMs of the two concurrent tasks: " + perTask);
        assertFalse(pids.contains(driver), "tasks ran in the driver JVM");
        SparkExecutorInfo[] infos = sc.sc().statusTracker().getExecutorInfos();
        assertEquals(3, infos.length, "the driver and two executors");
    }

    @Test
    void fullBatchSeedLossGivesTheBitsOfLocal2() throws Exception {
        double[] params = Init.NORMAL.draw(SEED.model().layout(), 7);
        List<EpochMetrics> epochs = DistributedTrainerTest.distributed(SEED, dir, "", PARTITIONS, params);
        assertArrayEquals(seedLocal, params, "weights on local-cluster vs local[2]");
        for (int e = 0; e < epochs.size(); e++) {
            assertEquals(seedLocalEpochs.get(e).trainLoss(), epochs.get(e).trainLoss(), 0.0, "loss, epoch " + e);
            assertEquals(seedLocalEpochs.get(e).testLoss(), epochs.get(e).testLoss(), 0.0, "test loss, epoch " + e);
        }
        DistributedTrainerTest.assertAgrees(SEED, dir, params, epochs);  // and the single-process trainer's
    }

    @Test
    void miniBatchAdamGivesTheBitsOfLocal2() throws Exception {
        double[] params = Init.NORMAL.draw(ADAM.model().layout(), 7);
        List<EpochMetrics> epochs = DistributedTrainerTest.distributed(ADAM, dir, "", PARTITIONS, params);
        assertArrayEquals(adamLocal, params, "weights on local-cluster vs local[2]");
        DistributedTrainerTest.assertAgrees(ADAM, dir, params, epochs);
    }

    @Test
    void tasksFailedInAnExecutorJvmAndRetriedGiveTheSameBits() throws Exception {
        double[] params = Init.NORMAL.draw(SEED.model().layout(), 7);
        DistributedTrainerTest.distributed(SEED, dir, "", PARTITIONS, params, true);
        assertArrayEquals(seedLocal, params, "weights with retried tasks on local-cluster vs local[2]");
    }
}
