package io.shardprop.job.train;

import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Trace;

/**
 * One reusable {@link Trace} per executor thread, so blocks of every epoch reuse the same activation
 * buffers instead of allocating megabytes per task.
 */
final class Traces {

    private static final ThreadLocal<Trace> CACHE = new ThreadLocal<>();
    private static final ThreadLocal<Layout> LAYOUT = new ThreadLocal<>();

    private Traces() {
    }

    static Trace get(Layout layout, int rows) {
        Trace t = CACHE.get();
        if (t == null || t.capacity() < rows || !layout.equals(LAYOUT.get())) {
            t = Trace.allocate(layout, rows);
            CACHE.set(t);
            LAYOUT.set(layout);
        }
        return t;
    }
}
