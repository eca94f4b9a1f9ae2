package io.shardprop.job.augment;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.io.PrintStream;
import java.util.BitSet;
import java.util.Locale;

/**
 * A progress line each time a part's task succeeds: parts and rows done, and rows per second since the start.
 * Listens, on the driver, to the tasks of the stages it is told about; a retried part counts once.
 */
final class Progress extends SparkListener {

    private final PartPlan plan;
    private final long started;
    private final PrintStream out;
    private final BitSet done = new BitSet();
    private long rows;
    private volatile int stage = -1;

    Progress(PartPlan plan, long started, PrintStream out) {
        this.plan = plan;
        this.started = started;
        this.out = out;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        int index = end.taskInfo().index();
        if (!end.taskInfo().successful() || index >= plan.parts().size() || done.get(index)
                || (stage >= 0 && end.stageId() != stage)) {
            return;
        }
        stage = end.stageId();  // the one stage of the job: its tasks are the parts
        done.set(index);
        rows += plan.parts().get(index).rows();
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "part %d/%d written: %,d of %,d rows, %,.0f rows/s%n", done.cardinality(),
                plan.parts().size(), rows, plan.rows(), rows / seconds);
        notifyAll();
    }

    /** Waits (up to {@code millis}) until every part was reported, so the last line comes before the summary. */
    synchronized void awaitAll(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (done.cardinality() < plan.parts().size() && System.currentTimeMillis() < until) {
            wait(Math.max(1, until - System.currentTimeMillis()));
        }
    }
}
