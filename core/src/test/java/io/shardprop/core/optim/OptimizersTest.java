package io.shardprop.core.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each optimizer's update checked against its formula, computed by hand. */
class OptimizersTest {

    @Test
    void plainSgdIsTheNotebooksUpdate() {
        double[] w = {1.0, -2.0};
        new Sgd(2, 0, 0).step(w, new double[]{10.0, -4.0}, 0.1);
        assertArrayEquals(new double[]{1.0 - 0.1 * 10.0, -2.0 - 0.1 * -4.0}, w, 0.0);
    }

    @Test
    void momentumAccumulatesVelocityAndWeightDecayAddsL2() {
        Sgd opt = new Sgd(1, 0.9, 0.5);
        double[] w = {2.0};
        opt.step(w, new double[]{1.0}, 0.1);   // g' = 1 + 0.5·2 = 2, v = 2, w = 2 − 0.2
        assertEquals(1.8, w[0], 1e-15);
        opt.step(w, new double[]{1.0}, 0.1);   // g' = 1 + 0.9 = 1.9, v = 0.9·2 + 1.9 = 3.7, w = 1.8 − 0.37
        assertEquals(1.43, w[0], 1e-15);
        assertEquals(3.7, opt.state().get("velocity")[0], 1e-15);
        assertEquals(2, opt.steps());
    }

    @Test
    void adamFirstStepMovesByLrTimesSignAndFollowsItsFormula() {
        Adam opt = new Adam(2, 0.9, 0.999, 1e-8, 0);
        double[] w = {0.0, 0.0};
        opt.step(w, new double[]{3.0, -0.5}, 0.01);
        // bias-corrected m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε)
        assertEquals(-0.01 * 3.0 / (3.0 + 1e-8), w[0], 1e-15);
        assertEquals(0.01 * 0.5 / (0.5 + 1e-8), w[1], 1e-15);
        opt.step(w, new double[]{1.0, 1.0}, 0.01);
        double m = 0.9 * 0.3 + 0.1 * 1.0;
        double v = 0.999 * 0.009 + 0.001; // v1 = 0.001·3² = 0.009

        double expected = -0.01 * 3.0 / (3.0 + 1e-8) - 0.01 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.998001)) + 1e-8);
        assertEquals(expected, w[0], 1e-15);
    }

    @Test
    void adamWeightDecayIsDecoupled() {
        Adam opt = new Adam(1, 0.9, 0.999, 1e-8, 0.1);
        double[] w = {1.0};
        opt.step(w, new double[]{0.0}, 0.5); // zero gradient: only the decay moves w
        assertEquals(1.0 - 0.5 * 0.1, w[0], 1e-15);
    }

    @Test
    void eachKindCreatesTheOptimizerOfItsId() {
        for (OptimizerKind k : OptimizerKind.values()) {
            assertEquals(k.id(), new OptimizerSpec(k, 0.9, 0.9, 0.999, 0).create(3).id());
        }
    }

    @Test
    void schedules() {
        assertEquals(0.1, LrSchedule.constant(0.1).at(7, 3, 10));
        LrSchedule step = new LrSchedule(LrSchedule.Kind.STEP, 1.0, 2, 0.5, 10);
        assertEquals(1.0, step.at(1, 0, 5));
        assertEquals(1.0, step.at(2, 4, 5));
        assertEquals(0.5, step.at(3, 0, 5));
        assertEquals(0.25, step.at(5, 0, 5));
        LrSchedule cos = new LrSchedule(LrSchedule.Kind.COSINE, 2.0, 1, 1, 4);
        assertEquals(2.0, cos.at(1, 0, 10), 1e-15);
        assertEquals(1.0, cos.at(3, 0, 10), 1e-15);   // halfway: t = 20 of 40
        assertEquals(0.0, cos.at(4, 10, 10), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(LrSchedule.Kind.STEP, 1, 0, 1, 1));
    }
}
