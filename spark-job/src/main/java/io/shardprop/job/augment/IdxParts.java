package io.shardprop.job.augment;

import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxHeader;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.SerializableConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX files of an augmented set: one Spark task per part of the {@link PartPlan} generates its rows
 * ({@link Copies#pixels}) and writes them through Hadoop FileSystem, a whole file with its header, or a piece of
 * a longer file as bare pixels; the driver then joins each longer file (its header, then its pieces in order:
 * with {@code gzip}, each a gzip member of its own, which concatenated make one gzip stream) and writes the labels
 * files itself (one byte a row).
 */
final class IdxParts {

    /** Rows generated and written at a time by a task. */
    private static final int BATCH = 1024;
    /** The folder, inside the output, of the pieces of files longer than one part. */
    static final String PIECES = "_pieces";

    private IdxParts() {
    }

    /** Writes all image and label files into {@code dir}. */
    static void write(JavaSparkContext sc, Broadcast<Copies> copies, PartPlan plan, String dir, boolean gzip)
            throws IOException {
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        fs.mkdirs(HadoopFs.child(dir, PIECES));
        Broadcast<SerializableConf> conf = SerializableConf.broadcast(sc);
        try {
            sc.parallelize(plan.parts(), plan.parts().size()).foreach(part -> {
                HadoopFs taskFs = new HadoopFs(conf.value().get());
                String target = part.whole()
                        ? HadoopFs.child(dir, plan.fileName(MnistFiles.TRAIN_IMAGES, part.file(), gzip))
                        : piece(dir, part.index());
                writeRows(taskFs, target, copies.value(), part, gzip);
            });
        } finally {
            conf.destroy();
        }
        for (int f = 0; f < plan.files(); f++) {
            List<PartPlan.Part> parts = plan.partsOf(f);
            if (parts.size() > 1) {
                join(fs, copies.value(), plan, f, parts, dir, gzip);
                for (PartPlan.Part p : parts) {
                    fs.deleteRecursively(piece(dir, p.index()));
                }
            }
            writeLabels(fs, copies.value(), plan, f, dir, gzip);
        }
        fs.deleteRecursively(HadoopFs.child(dir, PIECES));
    }

    private static String piece(String dir, int index) {
        return HadoopFs.child(HadoopFs.child(dir, PIECES), String.format(java.util.Locale.ROOT, "images-%05d", index));
    }

    /** A task's part: its file's header first if the part is the whole file, then its rows' pixels. */
    private static void writeRows(HadoopFs fs, String target, Copies copies, PartPlan.Part part, boolean gzip)
            throws IOException {
        SourceImages s = copies.source();
        int p = s.pixelsPerImage();
        byte[] buf = new byte[BATCH * p];
        try (OutputStream out = open(fs, target, gzip)) {
            if (part.whole()) {
                out.write(imagesHeader(part.rows(), s));
            }
            for (int done = 0; done < part.rows(); done += BATCH) {
                int n = Math.min(BATCH, part.rows() - done);
                copies.pixels(part.first() + done, n, buf);
                out.write(buf, 0, n * p);
            }
        }
    }

    /** A longer file: its header, then the pieces' bytes as they are. */
    private static void join(HadoopFs fs, Copies copies, PartPlan plan, int file, List<PartPlan.Part> parts,
                             String dir, boolean gzip) throws IOException {
        String target = HadoopFs.child(dir, plan.fileName(MnistFiles.TRAIN_IMAGES, file, gzip));
        byte[] header = imagesHeader(plan.fileRows(file), copies.source());
        try (OutputStream out = fs.fs(new org.apache.hadoop.fs.Path(target)).create(
                new org.apache.hadoop.fs.Path(target), false)) {
            out.write(gzip ? gzipped(header) : header);
            byte[] buf = new byte[1 << 20];
            for (PartPlan.Part p : parts) {
                try (InputStream in = fs.open(piece(dir, p.index()))) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        out.write(buf, 0, r);
                    }
                }
            }
        }
    }

    private static void writeLabels(HadoopFs fs, Copies copies, PartPlan plan, int file, String dir, boolean gzip)
            throws IOException {
        String target = HadoopFs.child(dir, plan.fileName(MnistFiles.TRAIN_LABELS, file, gzip));
        byte[] labels = new byte[plan.fileRows(file)];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = copies.label(plan.fileStart(file) + r);
        }
        try (OutputStream out = open(fs, target, gzip)) {
            Idx.writeLabels(out, labels);
        }
    }

    private static OutputStream open(HadoopFs fs, String uri, boolean gzip) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        OutputStream raw = fs.fs(path).create(path, true);
        return gzip ? new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 16), 1 << 16)
                : new BufferedOutputStream(raw, 1 << 16);
    }

    /** The 16 bytes that start an images file of {@code count} images of the source's size. */
    static byte[] imagesHeader(int count, SourceImages s) {
        IdxHeader h = IdxHeader.of("images", IdxHeader.UNSIGNED_BYTE, count, s.height(), s.width());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(h.magic());
            for (int d : h.dims()) {
                out.writeInt(d);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static byte[] gzipped(byte[] bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(b)) {
            out.write(bytes);
        }
        return b.toByteArray();
    }
}
