package io.shardprop.job.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhaseTimesTest {

    @Test
    void eachPhaseIsTheTimeSinceThePreviousMark() {
        PhaseTimes t = new PhaseTimes(1_000).mark("script", 1_150).mark("JVM", 2_000).mark("first epoch", 4_250);
        assertEquals(3.25, t.seconds(), 1e-12);
        assertEquals("start-up 3.3 s: script 0.15, JVM 0.85, first epoch 2.25", t.describe("start-up"));
    }

    @Test
    void noMarksIsZero() {
        assertEquals("tail 0.0 s:", new PhaseTimes(5).describe("tail"));
    }
}
