package io.shardprop.job.io;

import io.shardprop.core.linalg.ByteMat;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.linalg.SparseMat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.SplittableRandom;

/**
 * Work a command can do beside Spark's start instead of after it, on the core the session's start leaves idle:
 * loading the BLAS (its log line) and, when the tasks run in this JVM (a {@code local} master), compiling the
 * first layer's sparse products ({@link SparseMat}) on made-up images, so that the first epoch does not run them
 * in the interpreter (measured here: the first epoch line 0.3–0.6 s sooner). Nothing it computes is kept.
 */
final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    /** Enough calls for the JIT's optimizing compiler (each is under 2 ms once compiled). */
    private static final int ROUNDS = 40;
    private static final long MAX_NANOS = 1_500_000_000L;

    private final java.util.concurrent.CountDownLatch blas = new java.util.concurrent.CountDownLatch(1);
    private volatile Throwable failure;

    private Warmup() {
    }

    /** Starts the work in a daemon thread; {@link #join} before the command's own work. */
    static Warmup start(boolean localTasks) {
        Warmup w = new Warmup();
        Thread t = new Thread(() -> {
            try {
                BlasLog.driver();
            } catch (RuntimeException | Error e) {
                w.failure = e;  // the command's thread throws it (join)
            } finally {
                w.blas.countDown();
            }
            if (localTasks && w.failure == null) {
                try {
                    products();
                } catch (RuntimeException | LinkageError e) {
                    LOG.debug("warm-up of the sparse products skipped", e);
                }
            }
        }, "shardprop-warm-up");
        t.setDaemon(true);
        t.start();
        return w;
    }

    /**
     * Waits for the BLAS line and throws what loading the BLAS threw; the products' compilation may go on beside
     * the command.
     */
    void join() throws InterruptedException {
        blas.await();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static void products() {
        int rows = 256;
        int width = 784;
        int out = 100;
        SplittableRandom r = new SplittableRandom(1);
        byte[] px = new byte[rows * width];
        for (int i = 0; i < px.length; i++) {
            if (r.nextInt(5) == 0) {
                px[i] = (byte) (1 + r.nextInt(255));
            }
        }
        ByteMat x = new ByteMat(px, 0, rows, width, ByteMat.Code.PIXEL, Precision.FLOAT64);
        Mat w = Mat.zeros(width + 1, out);
        Mat h = Mat.zeros(rows, out);
        Mat dW = Mat.zeros(width + 1, out);
        for (int i = 0; i < w.data().length; i++) {
            w.data()[i] = r.nextDouble() - 0.5;
        }
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS && System.nanoTime() - start < MAX_NANOS; round++) {
            SparseMat s = SparseMat.of(x);
            if (s == null) {
                return;
            }
            s.times(w, h);
            s.transposeTimesAdd(h, dW);
        }
    }
}
