package io.shardprop.job.data;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.data.Streams;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.train.LocalSteps;
import io.shardprop.job.io.BlasLog;
import io.shardprop.job.io.SerializableConf;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An images/labels pair as an RDD of {@link Block}s: fixed-size groups of consecutive samples (the last
 * one may be shorter), whose boundaries depend only on the sample count and the block size. Only the block <em>ranges</em> are sent from the driver; each partition reads
 * its own byte ranges of the IDX files through Hadoop {@code FileSystem} and builds its blocks once.
 */
public final class Blocks {

    private Blocks() {
    }

    /**
     * The blocks of {@code images}/{@code labels}, spread over {@code partitions} (consecutive blocks per
     * partition), persisted in memory (spilling to disk) but not yet computed.
     */
    public static JavaRDD<Block> load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                      int partitions, String name) {
        return load(sc, images, labels, blockSize, partitions, Precision.FLOAT64, name);
    }

    /** As {@link #load(JavaSparkContext, IdxFile, IdxFile, int, int, String)}, with inputs in {@code precision}. */
    public static JavaRDD<Block> load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                      int partitions, Precision precision, String name) {
        return load(sc, images, labels, blockSize, partitions, precision, false, name);
    }

    /**
     * As {@link #load(JavaSparkContext, IdxFile, IdxFile, int, int, Precision, String)}, the pixels kept as bytes
     * when {@code bytes} ({@link Batch#ofBytes}: expanded to {@code precision} in the step).
     */
    public static JavaRDD<Block> load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                      int partitions, Precision precision, boolean bytes, String name) {
        List<List<Block.Range>> groups = Block.ranges(images.count(), blockSize).stream().map(List::of).toList();
        return cache(sc, images, labels, groups, Math.min(partitions, groups.size()), precision, bytes,
                name + " blocks (" + images.count() + " samples, " + blockSize + " per block, "
                        + cacheId(precision, bytes) + ")");
    }

    /**
     * As {@link #load(JavaSparkContext, IdxFile, IdxFile, int, int, Precision, String)}, laid out for local
     * steps: block {@code b} belongs to replica {@code b mod replicas} and every partition holds whole replicas
     * (at most {@code replicas} partitions), so that a task can run its replicas' steps alone.
     */
    public static JavaRDD<Block> loadReplicas(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                              int partitions, int replicas, Precision precision, String name) {
        return loadReplicas(sc, images, labels, blockSize, partitions, replicas, precision, false, name);
    }

    /** As {@link #loadReplicas}, the pixels kept as bytes when {@code bytes}. */
    public static JavaRDD<Block> loadReplicas(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                              int partitions, int replicas, Precision precision, boolean bytes,
                                              String name) {
        List<List<Block.Range>> shards = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            shards.add(new ArrayList<>());
        }
        for (Block.Range range : Block.ranges(images.count(), blockSize)) {
            shards.get(LocalSteps.replicaOf(range.index(), replicas)).add(range);
        }
        return cache(sc, images, labels, shards, Math.max(1, Math.min(partitions, replicas)), precision, bytes,
                name + " blocks (" + images.count() + " samples, " + blockSize + " per block, " + replicas
                        + " replicas, " + cacheId(precision, bytes) + ")");
    }

    private static String cacheId(Precision precision, boolean bytes) {
        return bytes ? "uint8 cache, " + precision.id() + " products" : precision.id();
    }

    /** Groups of ranges that stay together, spread over {@code slices} partitions in order, read there and cached. */
    private static JavaRDD<Block> cache(JavaSparkContext sc, IdxFile images, IdxFile labels,
                                        List<List<Block.Range>> groups, int slices, Precision precision,
                                        boolean bytes, String name) {
        Broadcast<SerializableConf> conf = SerializableConf.broadcast(sc);
        int pixels = images.pixels();
        JavaRDD<Block> blocks = sc.parallelize(groups, slices).mapPartitions(it -> {
            List<Block.Range> mine = new ArrayList<>();
            it.forEachRemaining(mine::addAll);
            // in file order: a partition of several replicas' shards (blocks r, r + R, ...) reads its files once,
            // not once a shard (which, for gzipped parts, would decompress them again for every replica)
            mine.sort(java.util.Comparator.comparingInt(Block.Range::index));
            return read(mine.iterator(), conf, images, labels, pixels, precision, bytes);
        });
        blocks.setName(name);
        return blocks.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * The blocks of {@code ranges}, read one at a time as Spark asks for them: a partition larger than the
     * storage memory is never whole in the heap, so Spark can put what does not fit on disk.
     */
    private static Iterator<Block> read(Iterator<Block.Range> ranges, Broadcast<SerializableConf> conf, IdxFile images,
                                        IdxFile labels, int pixels, Precision precision, boolean bytes) {
        BlasLog.executorOnce();
        int valueBytes = bytes ? 1 : precision.bytes();
        RangeReader img = new RangeReader(conf.value(), images);
        RangeReader lab = new RangeReader(conf.value(), labels);
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> closeQuietly(img, lab));
        }
        return new Iterator<>() {
            private long built;

            @Override
            public boolean hasNext() {
                if (!ranges.hasNext()) {
                    closeQuietly(img, lab);
                    return false;
                }
                return true;
            }

            @Override
            public Block next() {
                Block.Range r = ranges.next();
                try {
                    byte[] px = img.read((long) r.first() * pixels, r.rows() * pixels);
                    byte[] y = lab.read(r.first(), r.rows());
                    for (int i = 0; i < y.length; i++) {
                        if (y[i] < 0 || y[i] > 9) {
                            throw new MalformedFileException(lab.nameOf(r.first() + i), "label " + (y[i] & 0xff)
                                    + " at index " + lab.indexInPart(r.first() + i) + " is outside 0-9");
                        }
                    }
                    Block b = new Block(r.index(), r.first(), bytes ? Batch.ofBytes(px, pixels, y, 0, r.rows(), precision)
                            : Batch.fromBytes(px, pixels, y, 0, r.rows(), precision));
                    built += (long) r.rows() * (pixels + 1) * valueBytes;
                    return b;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (OutOfMemoryError e) {
                    // the one large allocation of a block: say what ran out and what to change, not a stack trace
                    throw new IllegalStateException(String.format("out of memory building block %d after %d MB of "
                            + "blocks in this partition (%d MB more needed): raise spark.executor.memory "
                            + "(%d bytes x %d values per sample), use more --partitions or a smaller --block-size",
                            r.index(), built >> 20, (long) r.rows() * (pixels + 1) * valueBytes >> 20, valueBytes,
                            pixels + 1));
                }
            }
        };
    }

    private static void closeQuietly(Closeable... readers) {
        for (Closeable c : readers) {
            try {
                c.close();
            } catch (IOException ignored) {
                // read-only streams: nothing is lost
            }
        }
    }

    /**
     * Reads sample ranges in increasing order, across the parts of a split input: seeks in plain files,
     * decompresses forward in gzipped ones. A read that ends a gzipped part reads on to its end, which checks the
     * gzip trailer (CRC-32 and length) and that nothing follows: each part is checked by the one task that reads
     * its last sample, in the pass that caches it.
     */
    static final class RangeReader implements Closeable {
        private final SerializableConf conf;
        private final IdxFile file;
        private final long unit;
        private int current = -1;
        private FSDataInputStream raw;
        private InputStream in;
        private long position; // the input's sample index of the next byte of `in` (gzip), in bytes

        RangeReader(SerializableConf conf, IdxFile file) {
            this.conf = conf;
            this.file = file;
            this.unit = Math.max(1, file.pixels());
        }

        /** {@code length} bytes from byte {@code offset} of the input's payload (all parts one after another). */
        byte[] read(long offset, int length) throws IOException {
            byte[] out = new byte[length];
            int done = 0;
            while (done < length) {
                long at = offset + done;
                int k = partOf(at / unit);
                IdxFile.Part p = file.parts().get(k);
                long start = p.first() * unit;
                long end = start + p.header().dataBytes();
                int n = (int) Math.min(length - done, end - at);
                open(k);
                if (p.gzip()) {
                    if (at < position) {
                        throw new IllegalStateException("ranges must be read in increasing order");
                    }
                    in.skipNBytes(at - position);
                    position = at + n;
                } else {
                    raw.seek(p.header().headerBytes() + (at - start));
                }
                int got = Streams.readUpTo(in, out, done, n, p.name());
                if (got < n) {
                    throw new MalformedFileException(p.name(), "truncated: expected " + n + " bytes of samples at "
                            + "offset " + (at - start) + ", found " + got);
                }
                done += n;
                if (p.gzip() && at + n == end) {
                    checkEnd(p);
                }
            }
            return out;
        }

        /** The part's name that holds sample {@code index}, for messages. */
        String nameOf(long index) {
            return file.parts().get(partOf(index)).name();
        }

        /** Sample {@code index}'s index within its part. */
        long indexInPart(long index) {
            return index - file.parts().get(partOf(index)).first();
        }

        private int partOf(long sample) {
            List<IdxFile.Part> parts = file.parts();
            int lo = 0;
            int hi = parts.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (parts.get(mid).first() <= sample) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        private void open(int index) throws IOException {
            if (index == current) {
                return;
            }
            close();
            IdxFile.Part p = file.parts().get(index);
            Path path = new Path(p.uri());
            raw = path.getFileSystem(conf.get()).open(path);
            in = p.gzip() ? Streams.openMaybeGzip(raw, p.name()) : raw;
            current = index;
            if (p.gzip()) {
                in.skipNBytes(p.header().headerBytes());
                position = p.first() * unit;
            }
        }

        private void checkEnd(IdxFile.Part p) {
            Streams.requireEnd(in, p.header().dataBytes(), p.name(), "samples");
        }

        @Override
        public void close() throws IOException {
            if (raw != null) {
                raw.close();
                raw = null;
                in = null;
                current = -1;
            }
        }
    }
}
