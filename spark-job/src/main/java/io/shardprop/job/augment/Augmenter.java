package io.shardprop.job.augment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shardprop.core.data.Deformation;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.SparkRun;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code augment}'s Spark work, once its options and files are checked: plans the parts, broadcasts the
 * {@link Copies} (the 47 MB of source images, read once on the driver), has each part's task generate and write
 * its rows ({@link IdxParts} or {@link ParquetRows}) into a temporary sibling of the output folder, with a
 * progress line per part ({@link Progress}), adds the test set and {@value #MARKER}, and renames the folder into
 * place (replacing the old one only then), so a failure leaves no half-written output.
 *
 * @param copies      the rows
 * @param testImages  the test images, copied unchanged (IDX) or as rows (Parquet)
 * @param testLabels  their labels
 * @param parquet     Parquet rows instead of IDX files
 * @param gzip        gzip the IDX files
 * @param rowsPerFile IDX rows per file; 0 for one file
 * @param partitions  parts (Spark tasks); 0 for the default ({@link #partCount})
 */
public record Augmenter(Copies copies, IdxFile testImages, IdxFile testLabels, boolean parquet, boolean gzip,
                        long rowsPerFile, int partitions) {

    /** The file describing the set, which also marks a folder {@code augment} wrote. */
    public static final String MARKER = "augment.json";
    /** The Parquet folders of the training and test rows. */
    public static final String TRAIN = "train";
    public static final String TEST = "test";
    /** Rows of a part without {@code --rows-per-file} when there are more than the cluster runs at once. */
    static final long PART_ROWS = 500_000;

    /** Writes the set into {@code out} (qualified, checked), replacing it if it exists. */
    public void write(HadoopFs fs, String out) throws Exception {
        SparkRun.run("ShardProp augment", spark -> write(spark, fs, out));
    }

    /**
     * The parts to aim for on a cluster running {@code parallelism} tasks at once: with {@code --rows-per-file}
     * one per file (each task writes a whole file), at least {@code parallelism}; else one per
     * {@value #PART_ROWS} rows, at least {@code parallelism}.
     */
    static int partCount(long rows, long rowsPerFile, int parallelism) {
        long wanted = rowsPerFile > 0 ? (rows + rowsPerFile - 1) / rowsPerFile : (rows + PART_ROWS - 1) / PART_ROWS;
        return (int) Math.max(parallelism, Math.min(Integer.MAX_VALUE, wanted));
    }

    private void write(SparkSession spark, HadoopFs fs, String out) throws Exception {
        long started = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long rows = copies.rows();
        int parts = partitions > 0 ? partitions : partCount(rows, parquet ? 0 : rowsPerFile, sc.defaultParallelism());
        PartPlan plan = PartPlan.of(rows, parquet ? 0 : rowsPerFile, parts);
        Path target = new Path(out);
        String tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID()).toString();
        Broadcast<Copies> shared = sc.broadcast(copies);
        Progress progress = new Progress(plan, started, System.out);
        sc.sc().addSparkListener(progress);
        try {
            fs.mkdirs(tmp);
            sc.setJobDescription(String.format(Locale.ROOT, "augment: %,d rows in %d parts", rows, plan.parts().size()));
            if (parquet) {
                ParquetRows.write(spark, shared, plan, HadoopFs.child(tmp, TRAIN));
                progress.awaitAll(5_000);
                sc.setJobDescription("augment: the test rows");
                writeTestRows(spark, fs, HadoopFs.child(tmp, TEST));
            } else {
                IdxParts.write(sc, shared, plan, tmp, gzip);
                progress.awaitAll(5_000);
                copyTestFiles(fs, tmp);
            }
            fs.writeString(HadoopFs.child(tmp, MARKER), describe(plan));
            if (fs.exists(out)) {
                fs.deleteRecursively(out);
            }
            fs.rename(tmp, out);
        } catch (Exception | Error e) {
            fs.deleteRecursively(tmp);
            throw e;
        } finally {
            sc.sc().removeSparkListener(progress);
            shared.destroy();
        }
        long bytes = target.getFileSystem(fs.conf()).getContentSummary(target).getLength();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %,d rows (%,d images and %d deformed copies) as %s, %,d bytes, into %s "
                        + "in %.1f s: %,.0f rows/s%n", rows, copies.source().count(), copies.copies(), what(plan), bytes,
                out, seconds, rows / seconds);
    }

    private String what(PartPlan plan) {
        return parquet ? plan.parts().size() + " Parquet part" + (plan.parts().size() == 1 ? "" : "s")
                : plan.files() + " IDX image file" + (plan.files() == 1 ? "" : "s") + (gzip ? " (gzipped)" : "");
    }

    /** The test files as they are, under their own names. */
    private void copyTestFiles(HadoopFs fs, String dir) throws IOException {
        for (IdxFile f : new IdxFile[]{testImages, testLabels}) {
            String name = new Path(f.uri()).getName();
            try (InputStream in = fs.open(f.uri())) {
                fs.writeAtomically(HadoopFs.child(dir, name), out -> in.transferTo(out));
            }
        }
    }

    /** The test images as rows of the same columns (10,000 for MNIST: one part file). */
    private void writeTestRows(SparkSession spark, HadoopFs fs, String dir) throws IOException {
        SourceImages test = SourceImages.read(fs, testImages, testLabels);
        spark.createDataFrame(ParquetRows.rows(test.pixels(), test.labels(), test.pixelsPerImage()), ParquetRows.SCHEMA)
                .coalesce(1).write().parquet(dir);
    }

    /** {@value #MARKER}: what the set is and how it was made. */
    private String describe(PartPlan plan) throws IOException {
        Deformation d = copies.deformation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", parquet ? "parquet" : "idx");
        m.put("rows", plan.rows());
        m.put("images", copies.source().count());
        m.put("copies", copies.copies());
        m.put("row_order", "row n*k + i is copy k of image i; copy 0 is the image itself");
        m.put("seed", copies.seed());
        Map<String, Object> deformation = new LinkedHashMap<>();
        deformation.put("shift", d.shift());
        deformation.put("elastic_alpha", d.alpha());
        deformation.put("elastic_sigma", d.sigma());
        deformation.put("rotate", d.rotate());
        deformation.put("scale", d.scale());
        deformation.put("shear", d.shear());
        deformation.put("image_height", copies.source().height());
        m.put("deformation", deformation);
        if (!parquet) {
            m.put("gzip", gzip);
            m.put("files", plan.files());
            m.put("rows_per_file", plan.rowsPerFile());
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
    }
}
