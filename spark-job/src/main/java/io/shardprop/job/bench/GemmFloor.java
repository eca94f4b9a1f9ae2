package io.shardprop.job.bench;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.layer.Matmul;
import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.SparseMat;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Trace;
import org.apache.spark.api.java.JavaRDD;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The floor under an epoch on this machine: a Spark job over the same cached blocks that runs only the
 * first layer's two products as training runs them (sparse for byte blocks of images, {@link SparseMat}) ({@code x·W1} and {@code xᵀ·dh1}, 97% of the arithmetic) on every block, timed
 * inside the tasks (the slowest task, as they run side by side). No broadcast, no sums, no other layer.
 * Best of a few rounds.
 */
final class GemmFloor {

    private static final int ROUNDS = 3;

    private GemmFloor() {
    }

    /** The dense products (BLAS) on the blocks' inputs as cached (bytes expanded). */
    static Map<String, Object> of(JavaRDD<Block> blocks) {
        return of(blocks, false);
    }

    /**
     * The products as training runs them ({@code asTraining}: {@link io.shardprop.core.data.Batch#forProducts()},
     * sparse for image blocks), else dense (BLAS) on the inputs as cached, bytes expanded.
     */
    static Map<String, Object> of(JavaRDD<Block> blocks, boolean asTraining) {
        Layout layout = Layout.mnist(100);
        double[] p = Init.NORMAL.draw(layout, 0);
        double best = Double.POSITIVE_INFINITY;
        long rows = 0;
        boolean float32 = false;
        boolean sparseProducts = false;
        for (int round = 0; round < ROUNDS; round++) {
            List<double[]> tasks = blocks.mapPartitions(it -> {
                double[] g = new double[layout.paramCount()];
                long t = System.nanoTime();
                double n = 0;
                double f32 = 0;
                boolean sparse = false;
                while (it.hasNext()) {
                    Batch b = it.next().data();
                    Inputs x = asTraining ? b.forProducts().x() : b.expanded().x();
                    products(x, layout, p, g);
                    n += x.rows();
                    f32 = x instanceof FMat ? 1 : 0;
                    sparse |= x instanceof SparseMat;
                }
                return List.of(new double[]{(System.nanoTime() - t) / 1e9, n, f32, sparse ? 1 : 0}).iterator();
            }).collect();
            double slowest = 0;
            rows = 0;
            for (double[] task : tasks) {
                slowest = Math.max(slowest, task[0]);
                rows += (long) task[1];
                float32 |= task[2] == 1;
                sparseProducts |= task[3] == 1;
            }
            best = Math.min(best, slowest);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("precision", float32 ? "float32" : "float64");
        out.put("epoch_seconds", best);
        out.put("products", sparseProducts ? "sparse" : "dense");
        // Sparse products do a fifth of the work: their rate is given as the dense work's, for comparison.
        out.put("gflops", 4.0 * layout.in(0) * layout.out(0) * rows / best / 1e9);
        return out;
    }

    /** Both products of one block, into this thread's buffers. */
    private static void products(Inputs x, Layout layout, double[] p, double[] g) {
        Trace v = Trace.forThread(layout, x.rows()).topRows(x.rows());
        Matmul.forward(x, layout.weight(0, p), v.h()[0], v.f32());
        Matmul.weightGradient(x, layout.weight(0, p), v.h()[0], layout.weight(0, g), v.f32());
    }
}
