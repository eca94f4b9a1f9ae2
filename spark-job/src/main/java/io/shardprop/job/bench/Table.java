package io.shardprop.job.bench;

import java.util.Map;

/** The benchmark figures as a table with ratios against ShardProp's epoch. */
final class Table {

    private Table() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> b) {
        StringBuilder t = new StringBuilder();
        double ours = median(b.get("shardprop_epoch"));
        t.append(String.format("BLAS: %s   master: %s   partitions: %s   block size: %s   timed epochs: %s%n%n",
                b.get("blas"), b.get("master"), b.get("partitions"), b.get("block_size"), b.get("epochs_timed")));
        if (b.get("cached_blocks_bytes") instanceof Number bytes) {
            t.append(String.format("cached training blocks: %.1f MB = %.3f x the raw float64 matrix (60,000 x 785 x 8 bytes)%n%n",
                    bytes.doubleValue() / 1e6, ((Number) b.get("cached_blocks_vs_raw_float64")).doubleValue()));
        }
        t.append(String.format("%-58s %9s %17s %9s%n", "one full-batch epoch, 60,000 images, seed model", "median s",
                "min-max s", "vs ours"));
        row(t, "ShardProp on Spark (" + b.get("master") + ")", b.get("shardprop_epoch"), ours);
        if (b.containsKey("shardprop_epoch_with_test")) {
            row(t, "the same with a test pass (10,000 images), as train runs it", b.get("shardprop_epoch_with_test"), ours);
        }
        if (b.containsKey("shardprop_float32_epoch")) {
            row(t, "ShardProp on Spark, --precision float32", b.get("shardprop_float32_epoch"), ours);
        }
        if (b.containsKey("pure_java_blas_epoch")) {
            row(t, "ShardProp on Spark, pure-Java BLAS (" + b.get("pure_java_blas") + ")", b.get("pure_java_blas_epoch"), ours);
        }
        if (b.containsKey("core_single_process_epoch")) {
            row(t, "single-process core trainer (--engine local)", b.get("core_single_process_epoch"), ours);
        }
        if (b.get("fixed_cost") instanceof Map<?, ?> f) {
            row(t, "a training step alone (no test pass), alternating with:", f.get("step"), ours);
            row(t, "  the same on the training set 4 times over (240,000 rows)", f.get("step_4x"), ours);
            t.append(String.format("%-58s %9.3f %17s%n", "  fixed cost of a step (a in a + b.rows), from the medians",
                    ((Number) f.get("fixed_seconds")).doubleValue(),
                    String.format("b = %.2f us/row", ((Number) f.get("per_row_microseconds")).doubleValue())));
            t.append(String.format("%-58s %9.3f %17s%n", "  fixed cost of a step, from the fastest of each",
                    ((Number) f.get("fixed_seconds_fastest")).doubleValue(),
                    String.format("b = %.2f us/row", ((Number) f.get("per_row_microseconds_fastest")).doubleValue())));
        }
        row(t, "Spark's share: the same step on 2 tiny blocks", b.get("spark_overhead_step"), ours);
        if (b.containsKey("spark_overhead_round")) {
            row(t, "Spark's share of a local-step round (2 replicas, 1 step)", b.get("spark_overhead_round"), ours);
        }
        row(t, "Spark's job latency: an empty job on them", b.get("spark_empty_job"), ours);
        double empty = median(b.get("spark_empty_job"));
        t.append(String.format("%-58s %9s %17s%n", "  a sync's cost over an empty job's (step; round)",
                String.format("%.2fx", median(b.get("spark_overhead_step")) / empty),
                b.containsKey("spark_overhead_round") ? String.format("%.2fx", median(b.get("spark_overhead_round")) / empty) : ""));
        if (b.containsKey("spark_broadcast")) {
            row(t, "Spark: broadcast and destroy the weights (636 KB)", b.get("spark_broadcast"), ours);
        }
        for (String key : new String[]{"gemm_floor", "gemm_floor_float32"}) {
            if (b.get(key) instanceof Map<?, ?> f) {
                double s = ((Number) f.get("epoch_seconds")).doubleValue();
                t.append(String.format("%-58s %9.3f %17s %8.2fx%n", "floor: the 2 big " + f.get("precision")
                        + " products alone, same tasks", s, String.format("%.0f GFLOP/s",
                        ((Number) f.get("gflops")).doubleValue()), s / ours));
            }
        }
        if (b.get("mlpc") instanceof Map<?, ?> m) {
            Map<String, Object> mlpc = (Map<String, Object>) m;
            double marginal = ((Number) mlpc.get("marginal_iteration_seconds")).doubleValue();
            t.append(String.format("%-58s %9.3f %17s %8.2fx%n", "MLlib MLPC gd [784,100,10]: marginal iteration",
                    marginal, "", marginal / ours));
            t.append(String.format("%-58s %9.3f%n", "MLlib MLPC: fit of 1 iteration (fixed cost)",
                    ((Number) mlpc.get("fit_1_iteration_seconds")).doubleValue()));
            if (b.get("shardprop_run_seconds") instanceof Map<?, ?> r) {
                double run = ((Number) r.get("wall_seconds")).doubleValue();
                double mlpcRun = ((Number) b.get("spark_start_seconds")).doubleValue()
                        + ((Number) b.get("load_seconds")).doubleValue()
                        + ((Number) mlpc.get("dataframe_seconds")).doubleValue()
                        + ((Number) mlpc.get("fit_run_iterations_seconds")).doubleValue();
                t.append(String.format("%n%-58s %9.1f%n", "whole run of " + r.get("epochs") + " epochs, ShardProp "
                        + "(command to exit)", run));
                if (b.get("shardprop_float32_run_seconds") instanceof Map<?, ?> r32) {
                    double run32 = ((Number) r32.get("wall_seconds")).doubleValue();
                    t.append(String.format("%-58s %9.1f %17s %8.2fx%n", "the same, --precision float32", run32, "",
                            run32 / run));
                }
                t.append(String.format("%-58s %9.1f %17s %8.2fx%n", "MLPC: Spark start + load + DataFrame + fit of "
                        + mlpc.get("fit_run_iterations") + " iterations", mlpcRun, "", mlpcRun / run));
            }
        }
        if (b.get("fit") instanceof Map<?, ?> f) {
            Map<?, ?> mlpc = (Map<?, ?>) f.get("mlpc");
            Map<?, ?> classifier = (Map<?, ?>) f.get("shardprop");
            t.append(String.format("%nSpark ML fit on the MNIST DataFrame, layers [784,100,10], one SparkSession:%n"));
            t.append(String.format("  %-56s %9.1f s  test accuracy %.2f %%%n", "MLPC defaults (l-bfgs), maxIter "
                    + mlpc.get("max_iter"), ((Number) mlpc.get("fit_seconds")).doubleValue(),
                    100 * ((Number) mlpc.get("test_accuracy")).doubleValue()));
            t.append(String.format("  %-56s %9.1f s  test accuracy %.2f %%%n", "ShardPropClassifier preset (shift 1), maxIter "
                    + classifier.get("epochs"), ((Number) classifier.get("fit_seconds")).doubleValue(),
                    100 * ((Number) classifier.get("test_accuracy")).doubleValue()));
            t.append(String.format("  ShardPropClassifier: %.1fx faster, %+.2f accuracy points%n",
                    ((Number) f.get("speedup")).doubleValue(), ((Number) f.get("accuracy_points")).doubleValue()));
        }
        if (b.get("cached_blocks_float32_bytes") instanceof Number bytes && bytes.longValue() > 0) {
            t.append(String.format("%ncached float32 training blocks: %.1f MB%n", bytes.doubleValue() / 1e6));
        }
        if (b.get("task_result") instanceof Map<?, ?> r) {
            t.append(String.format("%none training task's exact sums sent to the driver (largest task, full batch): "
                            + "%.0f KB, against %.0f KB of raw limbs%n", ((Number) r.get("bytes")).doubleValue() / 1024,
                    ((Number) r.get("raw_limbs_bytes")).doubleValue() / 1024));
        }
        for (String key : new String[]{"block_profile_one_core", "block_profile_float32_one_core"}) {
            if (b.get(key) instanceof Map<?, ?> p) {
                t.append(String.format("%none %s block of %s rows on one core, ms: x·W1 %.2f (%.1f GFLOP/s), rest of forward "
                                + "%.2f, rest of backward %.2f, dW1 %.2f, exact add %.2f%n", p.get("precision"), p.get("rows"),
                        p.get("x_W1_gemm_ms"), p.get("gemm_gflops"), p.get("rest_of_forward_ms"),
                        p.get("rest_of_backward_ms"), p.get("dW1_gemm_ms"), p.get("exact_add_ms")));
            }
        }
        if (b.get("deformation_cost_one_core") instanceof Map<?, ?> d) {
            t.append(String.format("%ndeforming a %s block of %s rows on one core (%s) against a %s training step on it: "
                            + "%.2f ms against %.2f ms = %.0f %% (%.1f us an image); whole-pixel shifts alone %.0f %%%n",
                    d.get("precision"), d.get("rows"), d.get("deformation"), d.get("network"), d.get("elastic_affine_ms"),
                    d.get("step_ms"), 100 * ((Number) d.get("elastic_affine_vs_step")).doubleValue(),
                    d.get("elastic_affine_us_per_image"), 100 * ((Number) d.get("shift_vs_step")).doubleValue()));
        }
        return t.toString();
    }

    private static void row(StringBuilder t, String name, Object summary, double ours) {
        Map<?, ?> s = (Map<?, ?>) summary;
        double median = median(s);
        t.append(String.format("%-58s %9.3f %8.3f-%-8.3f %8.2fx%n", name, median,
                ((Number) s.get("min_seconds")).doubleValue(), ((Number) s.get("max_seconds")).doubleValue(),
                median / ours));
    }

    private static double median(Object summary) {
        return ((Number) ((Map<?, ?>) summary).get("median_seconds")).doubleValue();
    }
}
