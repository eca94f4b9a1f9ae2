package io.shardprop.job.train;

import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.train.BlockSums;
import io.shardprop.core.train.EvaluationSums;
import io.shardprop.core.train.GradientSums;
import io.shardprop.core.train.GradientSource;
import io.shardprop.core.train.LocalSteps;
import io.shardprop.core.train.RoundSums;
import io.shardprop.job.data.Aggregation;
import io.shardprop.job.data.Blocks;
import io.shardprop.job.data.IdxFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Cached blocks on the executors as a {@link GradientSource}: each call broadcasts the flat parameter
 * vector, every partition runs forward/backward on its selected blocks into one {@link BlockSums}, and
 * {@link Aggregation} merges those into the driver (Spark MLlib's {@code RDDLossFunction} pattern; big sums by a
 * reduce-scatter among the executors first). The
 * sums are exact, so the result does not depend on the partitioning or on which tasks were retried. The
 * broadcast is destroyed after use.
 */
public final class SparkData implements GradientSource {

    private final JavaSparkContext sc;
    private final JavaRDD<Block> blocks;
    private final int blockCount;
    private final Mlp model;
    private int keepMistakes;
    private CacheReport cache;
    private long driverBytes = Aggregation.DRIVER_BYTES;

    public SparkData(JavaSparkContext sc, JavaRDD<Block> blocks, int blockCount, Mlp model) {
        this.sc = sc;
        this.blocks = blocks;
        this.blockCount = blockCount;
        this.model = model;
    }

    @Override
    public int blocks() {
        return blockCount;
    }

    @Override
    public void describe(String what) {
        sc.setJobDescription(what);
    }

    @Override
    public Stats lossAndGradient(double[] params, int[] selected, Deformation deformation, long deformSeed, double[] grad) {
        int[] sorted = selected == null ? null : Arrays.stream(selected).sorted().toArray();
        Broadcast<double[]> bc = sc.broadcast(params.clone());
        GradientSums zero = new GradientSums(model, deformation, deformSeed);
        try {
            JavaRDD<GradientSums> partials = perSlot().mapPartitions(it -> {
                GradientSums s = zero;  // this task's own copy, deserialized with the closure
                while (it.hasNext()) {
                    Block b = it.next();
                    if (sorted == null || Arrays.binarySearch(sorted, b.index()) >= 0) {
                        s.add(b, bc.value());
                    }
                }
                return List.of(s).iterator();
            });
            GradientSums sums = Aggregation.sum(partials, params.length, driverBytes);
            sums.gradient(grad);
            return sums.stats();
        } finally {
            bc.destroy();
        }
    }

    @Override
    public EvaluationSums evaluation(double[] params) {
        return aggregate(params, null, new EvaluationSums(model, keepMistakes));
    }

    /**
     * Partial sums of a step the driver may receive whole, together ({@link Aggregation#DRIVER_BYTES} by default);
     * bigger ones are summed by a reduce-scatter among the executors first. Returns this.
     */
    public SparkData driverBytes(long max) {
        this.driverBytes = max;
        return this;
    }

    /** Evaluations keep the {@code n} worst mistakes (0 by default, see {@link EvaluationSums}); returns this. */
    public SparkData keepMistakes(int n) {
        this.keepMistakes = EvaluationSums.checkedKeep(n);
        return this;
    }

    /**
     * One round as one job: each task runs the replicas of its partition (which holds them whole, see
     * {@link Blocks#loadReplicas}) one after the other from the broadcast weights; their sums merge exactly. A task
     * holds the blocks of its replicas' round while it runs them (a round visits them in a shuffled order): all of
     * them when they are in memory, only the round's share ({@code 1 / --syncs-per-epoch}) of a partition that is
     * on disk.
     */
    @Override
    public RoundSums localSteps(double[] params, double[] innerState, LocalSteps plan) {
        Broadcast<double[]> bc = sc.broadcast(params.clone());
        Broadcast<double[]> state = plan.averagesState() ? sc.broadcast(innerState.clone()) : null;
        Mlp m = model;
        try {
            JavaRDD<RoundSums> partials = perSlot().mapPartitions(it -> {
                // only this round's blocks are kept: a partition read back from disk is never whole in the heap
                java.util.BitSet needed = plan.blocks();
                Map<Integer, Block> byIndex = new HashMap<>();
                SortedSet<Integer> replicas = new TreeSet<>();
                while (it.hasNext()) {
                    Block b = it.next();
                    if (needed.get(b.index())) {
                        byIndex.put(b.index(), b);
                    }
                    replicas.add(LocalSteps.replicaOf(b.index(), plan.replicas()));
                }
                RoundSums sums = new RoundSums();
                for (int r : replicas) {
                    plan.run(m, r, byIndex::get, bc.value(), state == null ? null : state.value(), sums);
                }
                return List.of(sums).iterator();
            });
            return Aggregation.sum(partials, plan.sumLength(params.length), driverBytes);
        } finally {
            bc.destroy();
            if (state != null) {
                state.destroy();
            }
        }
    }

    private <S extends BlockSums<S>> S aggregate(double[] params, int[] selected, S zero) {
        int[] sorted = selected == null ? null : Arrays.stream(selected).sorted().toArray();
        Broadcast<double[]> bc = sc.broadcast(params.clone());
        try {
            return Aggregation.aggregate(perSlot(), zero, (agg, b) ->
                    sorted == null || Arrays.binarySearch(sorted, b.index()) >= 0 ? agg.add(b, bc.value()) : agg,
                    (x, y) -> x.merge(y));
        } finally {
            bc.destroy();
        }
    }

    /**
     * The cached blocks as a pass's tasks read them: one task a task slot ({@code defaultParallelism}: the cores the
     * application has) when there are more partitions than slots, each task reading several cached partitions
     * ({@code coalesce} without a shuffle, grouped by where they are cached). Every task sends one exact partial sum,
     * whose cost grows with the parameters and is paid per task: so the partitions (how the data is cut and cached,
     * and what a lost executor recomputes) do not multiply it. The sums are exact: the same bits either way.
     */
    JavaRDD<Block> perSlot() {
        int slots = Math.max(1, sc.defaultParallelism());
        return blocks.getNumPartitions() > slots ? blocks.coalesce(slots) : blocks;
    }

    /**
     * Reads an images/labels pair into cached blocks on the executors ({@link Blocks#load}) and counts them,
     * which builds the cache once, before training.
     */
    public static SparkData load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize, int partitions,
                                 Mlp model, Precision precision, String name) {
        return load(sc, images, labels, blockSize, partitions, model, precision, false, name);
    }

    /** As {@link #load(JavaSparkContext, IdxFile, IdxFile, int, int, Mlp, Precision, String)}, bytes kept if {@code bytes}. */
    public static SparkData load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize, int partitions,
                                 Mlp model, Precision precision, boolean bytes, String name) {
        return cached(sc, Blocks.load(sc, images, labels, blockSize, partitions, precision, bytes, name), model, name,
                cacheType(precision, bytes), images.count());
    }

    /** As {@link #load}, laid out in {@code replicas} whole shards for local steps ({@link Blocks#loadReplicas}). */
    public static SparkData loadReplicas(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                         int partitions, int replicas, Mlp model, Precision precision, boolean bytes,
                                         String name) {
        return cached(sc, Blocks.loadReplicas(sc, images, labels, blockSize, partitions, replicas, precision, bytes,
                name), model, name, cacheType(precision, bytes), images.count());
    }

    /**
     * {@code blocks} (persisted, not computed yet) built and cached by counting them, with what they take
     * ({@link #cache()}).
     */
    public static SparkData cached(JavaSparkContext sc, JavaRDD<Block> blocks, Mlp model, String set, String type,
                                   long rows) {
        sc.setJobDescription("load " + set + " blocks");
        long start = System.nanoTime();
        int count = (int) blocks.count();
        SparkData data = new SparkData(sc, blocks, count, model);
        data.cache = CacheReport.of(sc, blocks, set, type, rows, (System.nanoTime() - start) / 1e9);
        return data;
    }

    /** {@code uint8}, {@code float32} or {@code float64}: how the blocks hold their inputs. */
    public static String cacheType(Precision precision, boolean bytes) {
        return (bytes ? io.shardprop.job.config.CacheType.UINT8 : io.shardprop.job.config.CacheType.of(precision)).id();
    }

    /** What the cached blocks take, or null when they were not built by {@link #cached}. */
    public CacheReport cache() {
        return cache;
    }

    /** The cached blocks. */
    public JavaRDD<Block> rdd() {
        return blocks;
    }

    /**
     * Drops the cached blocks, waiting until they are gone: a cache on disk is deleted before Spark stops (which
     * would otherwise refuse the removal with a warning and a stack trace).
     */
    public void release() {
        blocks.unpersist(true);
    }
}
