package io.shardprop.job.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGINT and SIGTERM during {@code train}: instead of the JVM's default (exit at once, Spark's shutdown hooks
 * racing the running job, 140 lines of stack traces), the signal is recorded, the running Spark jobs are
 * cancelled (the hook {@code train} installs), and the trainer stops at the next step boundary with
 * {@link io.shardprop.job.error.Interrupted}: one line, exit code 130 or 143, the checkpoints written so far
 * kept for {@code --resume}. A second signal (more than 2 s after the first), or a stop that takes longer than
 * {@value #GRACE_SECONDS} s, halts the JVM with the same code.
 */
public final class Stop {

    private static final Logger LOG = LoggerFactory.getLogger(Stop.class);
    static final int GRACE_SECONDS = 30;
    private static final AtomicReference<Signal> RECEIVED = new AtomicReference<>();
    private static volatile Runnable onStop = () -> { };
    /** Signals this soon after the first are the same stop delivered twice. */
    private static final long DUPLICATE_NANOS = 2_000_000_000L;
    private static volatile long firstNanos;

    private Stop() {
    }

    /**
     * Handles SIGINT and SIGTERM from now on; {@code cancel} runs (on the signal's thread) when one arrives.
     */
    public static void install(Runnable cancel) {
        onStop = cancel;
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), Stop::received);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());  // e.g. the JVM runs with -Xrs
            }
        }
    }

    private static void received(Signal s) {
        long now = System.nanoTime();
        if (!RECEIVED.compareAndSet(null, s)) {
            // a second signal stops at once, unless it is the same stop delivered twice (timeout(1), for one,
            // signals both the command and its process group)
            long first = firstNanos;
            if (first != 0 && now - first > DUPLICATE_NANOS) {
                Runtime.getRuntime().halt(exitCode(s));
            }
            return;
        }
        firstNanos = now;
        System.err.println("shardprop train: SIG" + s.getName() + " received, stopping (again to stop at once)");
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(GRACE_SECONDS * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(exitCode(s));
        }, "shardprop-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            onStop.run();
        } catch (RuntimeException e) {
            LOG.warn("cancelling the running jobs failed: {}", e.getMessage());
        }
    }

    /** Whether a stop was asked for. */
    public static boolean requested() {
        return RECEIVED.get() != null;
    }

    /** {@code 128 + signal number} of the signal received (143 for SIGTERM, 130 for SIGINT); 1 if none was. */
    public static int exitCode() {
        Signal s = RECEIVED.get();
        return s == null ? 1 : exitCode(s);
    }

    private static int exitCode(Signal s) {
        return 128 + s.getNumber();
    }

    /** The signal's name, e.g. {@code SIGTERM}. */
    public static String signalName() {
        Signal s = RECEIVED.get();
        return s == null ? "no signal" : "SIG" + s.getName();
    }
}
