package io.shardprop.job.train;

import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for tests, outside the production code: {@link #firstAttemptsFail} wraps cached blocks so
 * that the first attempt of every even-numbered task of every job fails (the master must allow retries, e.g.
 * {@code local[2,4]}); {@link Count} is a listener that counts the tasks that failed that way, so a test can
 * assert that the failures really happened.
 */
final class InjectedFailures {

    static final String MESSAGE = "injected failure: first attempt of task ";

    private InjectedFailures() {
    }

    /** The same blocks and partitions; reading a partition fails on its first attempt when its id is even. */
    static <T> JavaRDD<T> firstAttemptsFail(JavaRDD<T> blocks) {
        return blocks.mapPartitions(it -> {
            TaskContext task = TaskContext.get();
            if (task.attemptNumber() == 0 && task.partitionId() % 2 == 0) {
                throw new IllegalStateException(MESSAGE + task.partitionId());
            }
            return it;
        }, true);
    }

    /** Counts failed tasks whose reason names the injected failure. Remove it with {@link #close}. */
    static final class Count extends SparkListener implements AutoCloseable {
        private final SparkContext sc;
        private final AtomicInteger failed = new AtomicInteger();

        Count(SparkContext sc) {
            this.sc = sc;
            sc.addSparkListener(this);
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof TaskFailedReason r && r.toErrorString().contains(MESSAGE)) {
                failed.incrementAndGet();
            }
        }

        /** The injected failures seen so far (after the listener bus has delivered its events). */
        int failures() {
            try {
                sc.listenerBus().waitUntilEmpty();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Spark's listener bus did not drain", e);
            }
            return failed.get();
        }

        @Override
        public void close() {
            sc.removeSparkListener(this);
        }
    }
}
