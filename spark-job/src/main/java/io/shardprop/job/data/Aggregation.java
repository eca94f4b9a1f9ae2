package io.shardprop.job.data;

import io.shardprop.core.train.SlicedSums;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a step's sums reach the driver, so that what it receives a round stays bounded whatever the task count.
 * <ul>
 *   <li><b>Small sums</b> (all partitions' sums together at most {@link #DRIVER_BYTES}): {@code treeAggregate}
 *       (depth 2) where it merges on executors first, else a plain {@code aggregate}. With depth 2, Spark's tree
 *       adds a level only when the partition count {@code P > s + ⌈P/s⌉} with {@code s = max(⌈√P⌉, 2)}, i.e. from
 *       6 partitions on; below that it is the same merge on the driver with an extra RDD and closure, measured at
 *       27 ms against 20 ms a job on local[2].
 *   <li><b>Big sums</b> (big models, many tasks): a reduce-scatter. Each task cuts its exact sums into pieces
 *       ({@link SlicedSums#slice}), a shuffle sums piece {@code k} of every task on one executor, and the driver
 *       collects the summed pieces and puts them together: it receives each component once (about
 *       {@link #BYTES_PER_COMPONENT} bytes), in results of at most about {@link #PIECE_BYTES}, never one partial
 *       sum per task. This also keeps every task result far below Spark's {@code maxDirectResultSize} and
 *       {@code spark.network.maxRemoteBlockSizeFetchToMem} (200 MB): results above that are fetched through a
 *       temporary file, the path on which Spark 4.2 failed with {@code IllegalStateException: unread block data}
 *       for the 12-million-parameter sums of a tree's last level.
 * </ul>
 * The sums are exact, so every way gives the same bits.
 */
public final class Aggregation {

    static final int DEPTH = 2;
    /** Partial sums the driver may receive a round before the reduce-scatter takes over (by default). */
    public static final long DRIVER_BYTES = 64L << 20;
    /** A summed piece's size in a task result (a direct result: far below {@code maxDirectResultSize}). */
    static final long PIECE_BYTES = 8L << 20;
    /** What a component of a used exact sum takes serialized, about (2 + its span in bytes; 9–14 for gradients). */
    static final int BYTES_PER_COMPONENT = 12;
    /** Fewest components of a piece. */
    static final int MIN_PIECE = 4096;

    private Aggregation() {
    }

    /** Whether {@code treeAggregate} at depth 2 merges on executors for {@code partitions}. */
    static boolean treeAddsLevel(int partitions) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / DEPTH)), 2);
        return partitions > scale + (int) Math.ceil((double) partitions / scale);
    }

    /**
     * The pieces a reduce-scatter of {@code partitions} sums of {@code components} components cuts them into, or 0
     * when the partial sums (at most {@code driverBytes} together) go to the driver whole: the fewest pieces of at most {@link #PIECE_BYTES} (at least one
     * per partition, each at least {@link #MIN_PIECE} components).
     */
    public static int pieces(int partitions, long components, long driverBytes) {
        long partial = components * BYTES_PER_COMPONENT;
        if (partitions * partial <= driverBytes) {
            return 0;
        }
        long bySize = (partial + PIECE_BYTES - 1) / PIECE_BYTES;
        long most = Math.max(1, components / MIN_PIECE);
        return (int) Math.min(most, Math.max(bySize, partitions));
    }

    /** {@code rdd.aggregate} or {@code rdd.treeAggregate}, see the class comment. */
    public static <T, U> U aggregate(JavaRDD<T> rdd, U zero, Function2<U, T, U> seq, Function2<U, U, U> merge) {
        return treeAddsLevel(rdd.getNumPartitions())
                ? rdd.treeAggregate(zero, seq, merge, DEPTH)
                : rdd.aggregate(zero, seq, merge);
    }

    /** {@code rdd.reduce} or {@code rdd.treeReduce}, see the class comment. */
    public static <T> T reduce(JavaRDD<T> rdd, Function2<T, T, T> merge) {
        return treeAddsLevel(rdd.getNumPartitions()) ? rdd.treeReduce(merge, DEPTH) : rdd.reduce(merge);
    }

    /**
     * The sum of {@code partials} (one per partition, all of {@code components} components): {@link #reduce} when
     * they take at most {@code driverBytes} together ({@link #DRIVER_BYTES} by default), else the reduce-scatter of
     * the class comment.
     */
    public static <S extends SlicedSums<S>> S sum(JavaRDD<S> partials, long components, long driverBytes) {
        int pieces = pieces(partials.getNumPartitions(), components, driverBytes);
        if (pieces == 0) {
            return reduce(partials, S::merge);
        }
        List<Tuple2<Integer, S>> summed = partials
                .flatMapToPair(s -> {
                    List<Tuple2<Integer, S>> out = new ArrayList<>(pieces);
                    for (int k = 0; k < pieces; k++) {
                        out.add(new Tuple2<>(k, s.slice(k, pieces)));
                    }
                    return out.iterator();
                })
                .reduceByKey(S::merge, pieces)
                .collect();
        List<Tuple2<Integer, S>> ordered = new ArrayList<>(summed);
        ordered.sort(Comparator.comparing(Tuple2::_1));
        if (ordered.size() != pieces) {
            throw new IllegalStateException("the reduce-scatter returned " + ordered.size() + " of " + pieces + " pieces");
        }
        List<S> parts = ordered.stream().map(Tuple2::_2).toList();
        return parts.get(0).joined(parts);
    }
}
