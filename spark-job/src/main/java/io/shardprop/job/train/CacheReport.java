package io.shardprop.job.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a set's cached blocks take, as Spark's block manager measured them once they were built: bytes in memory
 * and on disk (a partition that did not fit in the storage memory is written to disk and read back every
 * epoch), and the partitions cached.
 *
 * @param set        {@code training} or {@code test}
 * @param type       the cache type ({@code uint8}, {@code float32}, {@code float64})
 * @param rows       rows cached
 * @param memory     bytes in memory
 * @param disk       bytes on disk
 * @param partitions partitions of the set
 * @param seconds    seconds to read and cache the set
 */
public record CacheReport(String set, String type, long rows, long memory, long disk, int partitions,
                          double seconds) {

    /** The report of {@code rdd}, just computed and cached. */
    public static CacheReport of(JavaSparkContext sc, JavaRDD<?> rdd, String set, String type, long rows,
                                 double seconds) {
        long memory = 0;
        long disk = 0;
        // getRDDStorageInfo reads Spark's status store, which the listener bus fills from the block updates: let
        // it deliver the updates of the job that just cached the blocks first (else a set can read as 0 bytes)
        try {
            sc.sc().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            // the figures may then miss the last blocks; they are a report
        }
        for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == rdd.id()) {
                memory = info.memSize();
                disk = info.diskSize();
            }
        }
        return new CacheReport(set, type, rows, memory, disk, rdd.getNumPartitions(), seconds);
    }

    /** Bytes a row takes, memory and disk together. */
    public double bytesPerRow() {
        return rows == 0 ? 0 : (double) (memory + disk) / rows;
    }

    /** One line for the log. */
    public String describe() {
        return String.format(Locale.ROOT, "%s cache: %s, %d rows, %s in memory%s (%.0f bytes a row), read and cached "
                        + "in %.1f s", set, type, rows, mb(memory), disk > 0 ? " and " + mb(disk) + " on disk" : "",
                bytesPerRow(), seconds);
    }

    /** The warning when part of the set is on disk, else null. */
    public String spillWarning() {
        if (disk == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%s cache: %s of its %d partitions did not fit in Spark's storage "
                        + "memory and are on disk: every epoch reads them back and deserializes them, which makes epochs "
                        + "slower (see docs/big-data.md). To keep them in memory give Spark about %s more "
                        + "(spark.executor.memory; on local[*] the driver's heap: SHARDPROP_DRIVER_MEMORY or "
                        + "--driver-memory), use more executors, or --cache uint8", set, mb(disk), partitions,
                mb(disk * 2));
    }

    private static String mb(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** As {@code model.json} records it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("rows", rows);
        m.put("bytes_in_memory", memory);
        m.put("bytes_on_disk", disk);
        m.put("bytes_per_row", Math.round(bytesPerRow() * 10) / 10.0);
        m.put("seconds_to_read_and_cache", Math.round(seconds * 100) / 100.0);
        return m;
    }
}
