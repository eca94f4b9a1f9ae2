package io.shardprop.job.data;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.job.io.SerializableConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An images file without labels (what {@code predict} reads) as an RDD of {@link ImageBlock}s: the same
 * block ranges as {@link Blocks}, consecutive blocks per partition, so partition order is input order.
 * Each partition reads its own byte ranges through Hadoop {@code FileSystem}. Not persisted: one pass.
 */
public final class ImageBlocks {

    private ImageBlocks() {
    }

    /** The blocks of {@code images}, spread over at most {@code partitions} partitions, not yet computed. */
    public static JavaRDD<ImageBlock> load(JavaSparkContext sc, IdxFile images, int blockSize, int partitions,
                                           String name) {
        List<Block.Range> ranges = Block.ranges(images.count(), blockSize);
        Broadcast<SerializableConf> conf = SerializableConf.broadcast(sc);
        int pixels = images.rows() * images.cols();
        JavaRDD<ImageBlock> blocks = sc.parallelize(ranges, Math.max(1, Math.min(partitions, ranges.size())))
                .mapPartitions(it -> read(it, conf, images, pixels));
        return blocks.setName(name + " (" + images.count() + " images, " + blockSize + " per block)");
    }

    private static Iterator<ImageBlock> read(Iterator<Block.Range> ranges, Broadcast<SerializableConf> conf, IdxFile images,
                                             int pixels) throws IOException {
        List<ImageBlock> out = new ArrayList<>();
        try (Blocks.RangeReader img = new Blocks.RangeReader(conf.value(), images)) {
            while (ranges.hasNext()) {
                Block.Range r = ranges.next();
                byte[] px = img.read((long) r.first() * pixels, r.rows() * pixels);
                Batch b = Batch.fromBytes(px, pixels, new byte[r.rows()], 0, r.rows()); // labels unused
                out.add(new ImageBlock(r.index(), r.first(), b.x64()));
            }
        }
        return out.iterator();
    }
}
