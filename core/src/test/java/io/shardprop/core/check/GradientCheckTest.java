package io.shardprop.core.check;

import io.shardprop.core.layer.Relu;
import io.shardprop.core.linalg.Mat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientCheckTest {

    @Test
    void everyLayerAndTheModelPassCentralDifferences() {
        for (long seed = 1; seed <= 20; seed++) {
            List<GradientCheck.Result> results = GradientCheck.all(seed);
            assertEquals(22, results.size());
            for (GradientCheck.Result r : results) {
                assertTrue(r.passes(1e-6), "seed " + seed + ": " + r);
                assertTrue(r.entries() > 0, r.toString());
            }
        }
    }

    @Test
    void theFloat32MatmulPassesCentralDifferencesAtFloat32Tolerance() {
        for (long seed = 1; seed <= 20; seed++) {
            GradientCheck.Result r = GradientCheck.matmul32(seed);
            assertEquals(24, r.entries());
            assertTrue(r.passes(1e-4), "seed " + seed + ": " + r);
        }
    }

    @Test
    void aWrongGradientIsCaught() {
        Mat x = Mat.of(1, 3, 0.5, -0.7, 1.2);
        double[] wrong = {1.0, 1.0, 1.0}; // the true gradient of Σ relu(x) is (1, 0, 1)
        GradientCheck.Result r = GradientCheck.compare("bad", x.data(), wrong, xs -> {
            Mat y = Mat.zeros(1, 3);
            Relu.forward(new Mat(xs, 0, 1, 3), y);
            return y.get(0, 0) + y.get(0, 1) + y.get(0, 2);
        });
        assertFalse(r.passes(1e-6), r.toString());
        assertEquals(1.0, r.maxRelativeError(), 1e-9);
    }
}
