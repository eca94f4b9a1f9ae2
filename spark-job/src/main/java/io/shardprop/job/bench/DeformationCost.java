package io.shardprop.job.bench;

import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What deforming a block costs beside training on it, on the calling thread: the forward and backward pass of
 * Simard's 784-800-10 network (cross-entropy, bias vectors) on a block against the deformations of its images —
 * elastic with affine (Simard's field, Ciresan's ranges) and whole-pixel shifts alone — each the median of
 * repeated runs, in the block's precision.
 */
final class DeformationCost {

    private static final int REPEATS = 21;
    /** Rows of the block timed: the recipes' block (a replica's batch of 128). */
    static final int ROWS = 128;

    private DeformationCost() {
    }

    static Map<String, Object> of(Block block) {
        Block b = new Block(0, 0, Block.split(block.data(), ROWS).get(0).data());
        Inputs x = b.data().x();
        int[] y = b.data().labels();
        Mlp model = new Mlp(Layout.mnist(new int[]{800}, true), Loss.XENT);
        double[] p = Init.HE.draw(model.layout(), 0);
        double[] g = new double[model.layout().paramCount()];
        Trace t = Trace.allocate(model.layout(), x.rows());
        Deformation elastic = new Deformation(28, 28, 0, 4.0, 34.0, 15, 0.15, 15);
        Deformation shift = Deformation.shift(28, 28, 1);
        double[][] ms = new double[3][REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            long t0 = System.nanoTime();
            Arrays.fill(g, 0.0);
            model.lossAndGradient(p, x, y, t, g);
            long t1 = System.nanoTime();
            elastic.apply(b, r);
            long t2 = System.nanoTime();
            shift.apply(b, r);
            long t3 = System.nanoTime();
            ms[0][r] = (t1 - t0) / 1e6;
            ms[1][r] = (t2 - t1) / 1e6;
            ms[2][r] = (t3 - t2) / 1e6;
        }
        double step = median(ms[0]);
        double deform = median(ms[1]);
        double moved = median(ms[2]);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", x.rows());
        out.put("precision", x instanceof io.shardprop.core.linalg.FMat ? "float32" : "float64");
        out.put("network", "784-800-10");
        out.put("step_ms", step);
        out.put("elastic_affine_ms", deform);
        out.put("elastic_affine_vs_step", deform / step);
        out.put("elastic_affine_us_per_image", deform * 1e3 / x.rows());
        out.put("shift_ms", moved);
        out.put("shift_vs_step", moved / step);
        out.put("deformation", "elastic sigma 4, alpha 34; rotate 15, scale 0.15, shear 15");
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
