package io.shardprop.job.bench;

import io.shardprop.core.data.Block;
import io.shardprop.core.layer.Matmul;
import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor under an epoch on this machine: only the first layer's two products ({@code x·W1} and
 * {@code xᵀ·dh1}, 97% of the arithmetic), one thread per given block, all at once, as Spark's tasks run
 * them. Best of a few rounds, scaled to the whole data set.
 */
final class GemmFloor {

    private static final int ROUNDS = 5;
    private static final int REPEATS = 8;

    private GemmFloor() {
    }

    static Map<String, Object> of(List<Block> blocks, long samples) throws Exception {
        Layout layout = Layout.mnist(100);
        double[] p = Init.NORMAL.draw(layout, 0);
        ExecutorService pool = Executors.newFixedThreadPool(blocks.size());
        try {
            double best = Double.POSITIVE_INFINITY;
            long rows = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long t = System.nanoTime();
                List<Future<Integer>> done = new ArrayList<>();
                for (Block b : blocks) {
                    done.add(pool.submit(() -> products(b.data().x(), layout, p)));
                }
                rows = 0;
                for (Future<Integer> f : done) {
                    rows += f.get();
                }
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("precision", blocks.get(0).data().x() instanceof FMat ? "float32" : "float64");
            out.put("threads", blocks.size());
            out.put("epoch_seconds", best / rows * samples);
            out.put("gflops", 4.0 * layout.in(0) * layout.out(0) * rows / best / 1e9);
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link #REPEATS} times both products of one block; returns the rows done. */
    private static int products(Inputs x, Layout layout, double[] p) {
        Trace t = Trace.allocate(layout, x.rows());
        double[] g = new double[layout.paramCount()];
        for (int r = 0; r < REPEATS; r++) {
            Matmul.forward(x, layout.weight(0, p), t.h()[0], t.f32());
            Matmul.weightGradient(x, layout.weight(0, p), t.h()[0], layout.weight(0, g), t.f32());
        }
        return REPEATS * x.rows();
    }
}
