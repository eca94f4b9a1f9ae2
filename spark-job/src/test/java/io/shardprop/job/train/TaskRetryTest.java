package io.shardprop.job.train;

import io.shardprop.core.model.Init;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TinyMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Retried tasks change which sums arrive when, not the result: with the first attempt of every other task
 * failing (master {@code local[2,4]} allows retries), the weights are the bits of a run without failures.
 */
class TaskRetryTest extends SparkTestBase {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws Exception {
        start("local[2,4]");
        TinyMnist.write(dir, DistributedTrainerTest.TRAIN, DistributedTrainerTest.TEST, 42, false);
    }

    @Test
    void failedFirstAttemptsGiveTheSameBits() throws Exception {
        for (DistributedTrainerTest.Recipe r : new DistributedTrainerTest.Recipe[]{DistributedTrainerTest.SEED,
            DistributedTrainerTest.ADAM}) {
            double[] clean = Init.NORMAL.draw(r.model().layout(), 7);
            double[] retried = clean.clone();
            DistributedTrainerTest.distributed(r, dir, "", 4, clean, false);
            DistributedTrainerTest.distributed(r, dir, "", 4, retried, true);
            assertArrayEquals(clean, retried, r.model().toString());
        }
    }
}
