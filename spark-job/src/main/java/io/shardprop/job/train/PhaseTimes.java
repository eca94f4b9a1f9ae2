package io.shardprop.job.train;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where wall-clock time goes between two points of a run, as one log line: phases marked in order as they
 * end, e.g. "start-up 4.1 s: script 0.15, JVM and launcher 1.02, Spark session 1.10, ...". {@link #startUp()}
 * begins at the script's start ({@code SHARDPROP_LAUNCHED_MS}, set by {@code scripts/train.sh}), with the script
 * and the JVM up to the command as its first phases. Driver's main thread only.
 */
public final class PhaseTimes {

    private final long originMs;
    private final List<String> names = new ArrayList<>();
    private final List<Long> ends = new ArrayList<>();

    public PhaseTimes(long originMs) {
        this.originMs = originMs;
    }

    /**
     * From the script's start, when a script said when ({@code SHARDPROP_LAUNCHED_MS} no later than the JVM's
     * start): its first phases end when the JVM started and now. Otherwise (a test, a notebook, spark-submit) from
     * now, when the command starts.
     */
    public static PhaseTimes startUp() {
        long now = System.currentTimeMillis();
        long jvm = ManagementFactory.getRuntimeMXBean().getStartTime();
        long launched = launched(System.getenv("SHARDPROP_LAUNCHED_MS"));
        if (launched < 0 || launched > jvm) {
            return new PhaseTimes(now);
        }
        return new PhaseTimes(launched).mark("script", jvm)
                .mark("JVM and launcher" + (archived() ? " (class-data archive)" : ""), now);
    }

    /** Phase {@code name} ended now. */
    public PhaseTimes mark(String name) {
        return mark(name, System.currentTimeMillis());
    }

    /** Phase {@code name} ended at {@code endMs}. */
    public PhaseTimes mark(String name, long endMs) {
        names.add(name);
        ends.add(endMs);
        return this;
    }

    /** Seconds from the origin to the last mark. */
    public double seconds() {
        return ((ends.isEmpty() ? originMs : ends.get(ends.size() - 1)) - originMs) / 1e3;
    }

    /** "{@code title} 4.1 s: script 0.15, JVM and launcher 1.02, ...". */
    public String describe(String title) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s %.1f s:", title, seconds()));
        long previous = originMs;
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? " " : ", ").append(String.format(Locale.ROOT, "%s %.2f", names.get(i),
                    (ends.get(i) - previous) / 1e3));
            previous = ends.get(i);
        }
        return s.toString();
    }

    /** Whether this JVM maps a class-data sharing archive of the application's classes (scripts/common.sh). */
    static boolean archived() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:SharedArchiveFile="));
    }

    private static long launched(String env) {
        try {
            return env == null ? -1 : Long.parseLong(env.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
