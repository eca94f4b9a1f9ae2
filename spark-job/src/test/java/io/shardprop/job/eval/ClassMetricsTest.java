package io.shardprop.job.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-class metrics of a hand-computed 3-class confusion matrix, and the printed table. */
class ClassMetricsTest {

    //                 predicted: 0  1  2
    static final long[][] C = {{5, 1, 0},   // true 0: support 6
                               {2, 3, 1},   // true 1: support 6
                               {0, 0, 0}};  // true 2: never occurs, predicted once

    @Test
    void precisionRecallAndF1ByHand() {
        List<ClassMetrics> m = ClassMetrics.perClass(C);
        assertEquals(5.0 / 7, m.get(0).precision(), 1e-15);
        assertEquals(5.0 / 6, m.get(0).recall(), 1e-15);
        assertEquals(2 * (5.0 / 7) * (5.0 / 6) / (5.0 / 7 + 5.0 / 6), m.get(0).f1(), 1e-15);
        assertEquals(3.0 / 4, m.get(1).precision(), 1e-15);
        assertEquals(3.0 / 6, m.get(1).recall(), 1e-15);
        assertEquals(6, m.get(1).support());
        // class 2: predicted once, wrongly; never true: zero division gives 0
        assertEquals(0.0, m.get(2).precision());
        assertEquals(0.0, m.get(2).recall());
        assertEquals(0.0, m.get(2).f1());
        assertEquals(0, m.get(2).support());

        ClassMetrics macro = ClassMetrics.macro(m);
        assertEquals((5.0 / 7 + 3.0 / 4) / 3, macro.precision(), 1e-15);
        assertEquals(12, macro.support());
        ClassMetrics weighted = ClassMetrics.weighted(m);
        assertEquals((5.0 / 6 * 6 + 0.5 * 6) / 12, weighted.recall(), 1e-15);
    }

    @Test
    void tableShowsTheFiguresAndTheMatrix() {
        Evaluation e = new Evaluation(new io.shardprop.core.model.Stats(3.0, 8, 12), C, List.of());
        String t = EvaluationReport.table(e);
        assertTrue(t.startsWith("loss 0.2500  accuracy 0.6667  (8 of 12 correct)"), t);
        assertTrue(t.contains("0           0.7143    0.8333    0.7692         6"), t);
        assertTrue(t.contains("macro"), t);
        assertTrue(t.contains("     1    2    3    1"), t);
        assertEquals("true,pred_0,pred_1,pred_2\n0,5,1,0\n1,2,3,1\n2,0,0,0\n", EvaluationReport.confusionCsv(C));
    }
}
