package io.shardprop.job.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.BlasInfo;
import io.shardprop.core.linalg.Mat;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.model.ModelFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code blas}: one row of the BLAS comparison for this JVM's BLAS (chosen by {@code SHARDPROP_BLAS} and
 * {@code OPENBLAS_CORETYPE}): what loaded, and the rate of the first layer's two products on one block,
 * {@code x·W1} ([2000×785]·[785×100]) and {@code xᵀ·dh1}, on one thread; with {@code --metrics}, also the
 * median epoch of seed runs made with the same settings. {@code blas --table ROW.json…} prints the rows
 * side by side with ratios against the first. A benchmark: it asserts nothing.
 */
public final class BlasBench {

    /** What to run: the {@code blas} command's options ({@code cli.BlasBenchCommand}). */
    public record Settings(String label, List<String> metrics, double seconds, String json, boolean table,
                           List<String> rows) {
    }


    private static final int ROWS = 2000;
    private static final int IN = 785;
    private static final int HIDDEN = 100;

    private final Settings settings;

    public BlasBench(Settings settings) {
        this.settings = settings;
    }

    /** Runs the benchmark; returns the exit code (0). */
    public int run() throws Exception {
        ObjectMapper mapper = ModelFiles.JSON;
        if (settings.table()) {
            if (settings.rows().isEmpty()) {
                throw new UsageException("--table needs the JSON files of the rows");
            }
            List<Map<?, ?>> read = new ArrayList<>();
            for (String f : settings.rows()) {
                read.add(mapper.readValue(Path.of(f).toFile(), Map.class));
            }
            System.out.print(render(read));
            return 0;
        }
        if (!(settings.seconds() > 0)) {
            throw new UsageException("--seconds must be positive");
        }
        BlasInfo info = Blas.info();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("label", settings.label() != null ? settings.label() : info.summary());
        row.put("blas", info.summary());
        row.put("implementation", info.implementation());
        row.put("source", info.source());
        row.put("library", info.library());
        row.put("openblas_version", info.openBlasVersion().orElse(null));
        row.put("core", info.coreName());
        row.put("coretype_forced", System.getenv("OPENBLAS_CORETYPE"));
        row.put("threads", info.threads());
        row.put("xW1_gflops", rate(false));
        row.put("xT_dh1_gflops", rate(true));
        if (!settings.metrics().isEmpty()) {
            List<Double> all = new ArrayList<>();
            for (String m : settings.metrics()) {
                for (double e : epochSeconds(m)) {
                    all.add(e);
                }
            }
            row.put("seed_epoch", SparkBench.summary(all.stream().mapToDouble(Double::doubleValue).toArray()));
            row.put("seed_runs", settings.metrics().size());
        }
        System.out.printf("%s: x·W1 %.1f GFLOP/s, xᵀ·dh1 %.1f GFLOP/s (one thread)%n", row.get("label"),
                row.get("xW1_gflops"), row.get("xT_dh1_gflops"));
        if (settings.json() != null) {
            Files.writeString(Path.of(settings.json()), mapper.writeValueAsString(row) + "\n");
        }
        return 0;
    }

    /** GFLOP/s of one of the first layer's products on a block, best of 5 timed batches after a warm-up. */
    private double rate(boolean weightGradient) {
        SplittableRandom r = new SplittableRandom(1);
        Mat x = random(ROWS, IN, r);
        Mat w = random(IN, HIDDEN, r);
        Mat h = random(ROWS, HIDDEN, r);
        Mat g = Mat.zeros(IN, HIDDEN);
        Mat out = Mat.zeros(ROWS, HIDDEN);
        double flops = 2.0 * ROWS * IN * HIDDEN;
        Runnable product = weightGradient ? () -> Blas.gemm(1, x, true, h, false, 0, g)
                : () -> Blas.gemm(1, x, false, w, false, 0, out);
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < 0.2e9 || calls < 2) {  // warm-up, and how many calls fit in a batch
            product.run();
            calls++;
        }
        double perCall = (System.nanoTime() - t0) / 1e9 / calls;
        int batch = (int) Math.max(1, Math.round(settings.seconds() / 5 / perCall));
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 5; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                product.run();
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9 / batch);
        }
        return flops / best / 1e9;
    }

    private static Mat random(int rows, int cols, SplittableRandom r) {
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble(-1, 1);
        }
        return Mat.of(rows, cols, a);
    }

    /** The seconds column of a metrics.csv, without the first (warm-up) epoch. */
    static double[] epochSeconds(String file) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(file));
        double[] s = lines.stream().skip(2).filter(l -> !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1))).toArray();
        if (s.length == 0) {
            throw new UsageException(file + ": needs at least 2 epochs (the first is a warm-up)");
        }
        return s;
    }

    static String render(List<Map<?, ?>> rows) {
        StringBuilder t = new StringBuilder();
        t.append(String.format("%-38s %-17s %7s %7s %9s %8s%n", "BLAS (first row: the default)", "core",
                "x·W1", "xᵀ·dh1", "epoch s", "vs 1st"));
        t.append(String.format("%-38s %-17s %7s %7s %9s %8s%n", "", "", "GFLOP/s", "GFLOP/s", "local[2]", ""));
        double first = Double.NaN;
        for (Map<?, ?> row : rows) {
            double epoch = row.get("seed_epoch") instanceof Map<?, ?> e
                    ? ((Number) e.get("median_seconds")).doubleValue() : Double.NaN;
            if (Double.isNaN(first)) {
                first = epoch;
            }
            Object core = row.get("core");
            if (row.get("coretype_forced") != null) {
                core = core + " (forced)";
            }
            t.append(String.format("%-38s %-17s %7.1f %7.1f %9.3f %7.2fx%n", row.get("label"),
                    core == null ? "-" : core, ((Number) row.get("xW1_gflops")).doubleValue(),
                    ((Number) row.get("xT_dh1_gflops")).doubleValue(), epoch, epoch / first));
        }
        t.append(String.format("%nepoch s: median full-batch seed epoch (conf/seed.properties, 60,000 images) on local[2],"
                + " one BLAS thread per task, over %s runs a row taken in turns; GFLOP/s: one thread, one 2000-row "
                + "block%n", rows.get(0).get("seed_runs")));
        for (Map<?, ?> row : rows) {
            t.append(String.format("  %s: %s%n", row.get("label"), row.get("blas")));
        }
        return t.toString();
    }
}
