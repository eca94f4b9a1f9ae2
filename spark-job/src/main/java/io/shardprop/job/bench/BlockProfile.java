package io.shardprop.job.bench;

import io.shardprop.core.data.Block;
import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.layer.Log;
import io.shardprop.core.layer.Matmul;
import io.shardprop.core.layer.Relu;
import io.shardprop.core.layer.Softmax;
import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one block's time goes, on the calling thread: the two big products, the rest of forward, the rest
 * of backward and the exact add of the block's gradient, each the median of repeated runs.
 */
final class BlockProfile {

    private static final int REPEATS = 15;

    private BlockProfile() {
    }

    static Map<String, Object> of(Block block) {
        Mlp model = Mlp.seed(100);
        Layout layout = model.layout();
        double[] p = Init.NORMAL.draw(layout, 0);
        Inputs x = block.data().x();
        int[] y = block.data().labels();
        Trace t = Trace.allocate(layout, x.rows());
        double[] g = new double[layout.paramCount()];
        ExactSum sum = new ExactSum(g.length);
        double[][] ms = new double[5][REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            long t0 = System.nanoTime();
            Matmul.forward(x, layout.weight(0, p), t.h()[0], t.f32());
            long t1 = System.nanoTime();
            Relu.forward(t.h()[0], t.r()[0]);
            Matmul.forward(t.r()[0], layout.weight(1, p), t.h()[1]);
            Softmax.forward(t.h()[1], t.s());
            Log.forward(t.s(), t.logp());
            long t2 = System.nanoTime();
            model.backward(p, x, y, t, g);
            long t3 = System.nanoTime();
            Matmul.weightGradient(x, layout.weight(0, p), t.dr()[0], layout.weight(0, g), t.f32());
            long t4 = System.nanoTime();
            sum.add(g, 0);
            long t5 = System.nanoTime();
            ms[0][r] = (t1 - t0) / 1e6;
            ms[1][r] = (t2 - t1) / 1e6;
            ms[2][r] = (t3 - t2 - (t4 - t3)) / 1e6; // backward without its dW1 product, timed alone below
            ms[3][r] = (t4 - t3) / 1e6;
            ms[4][r] = (t5 - t4) / 1e6;
        }
        String[] names = {"x_W1_gemm_ms", "rest_of_forward_ms", "rest_of_backward_ms", "dW1_gemm_ms", "exact_add_ms"};
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", x.rows());
        out.put("precision", x instanceof FMat ? "float32" : "float64");
        for (int k = 0; k < names.length; k++) {
            double[] v = ms[k].clone();
            Arrays.sort(v);
            out.put(names[k], v[REPEATS / 2]);
        }
        double gflop = 2.0 * x.rows() * layout.in(0) * layout.out(0) / 1e9;
        out.put("gemm_gflops", gflop / ((Double) out.get("x_W1_gemm_ms") / 1e3));
        return out;
    }
}
