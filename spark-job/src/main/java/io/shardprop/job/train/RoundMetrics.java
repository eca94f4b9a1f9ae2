package io.shardprop.job.train;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each training job (a step, or a round of local steps) cost on Spark, from Spark's listener: its tasks, the
 * executors that ran them, the bytes of task results the driver received, the bytes shuffled among executors and
 * its wall time. Jobs are told apart by their description ({@code epoch E/N …}, set before each one); test passes
 * and caching are left out. {@link #summary} goes to {@code model.json} ({@code engine.rounds}) and the log.
 */
final class RoundMetrics extends SparkListener implements AutoCloseable {

    /** One training job's figures. */
    record Job(int tasks, Set<String> executors, long resultBytes, long shuffleBytes, double seconds) {
    }

    private final SparkContext sc;
    private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
    private final Map<Integer, Long> startNanos = new ConcurrentHashMap<>();
    private final Map<Integer, int[]> tasks = new ConcurrentHashMap<>();
    private final Map<Integer, Set<String>> executors = new ConcurrentHashMap<>();
    private final Map<Integer, long[]> bytes = new ConcurrentHashMap<>();
    private final List<Job> jobs = new ArrayList<>();

    RoundMetrics(SparkContext sc) {
        this.sc = sc;
        sc.addSparkListener(this);
    }

    /** Whether a job's description names a training step or round ({@code epoch 3/30 round 2/8}, not its test pass). */
    static boolean training(String description) {
        return description != null && description.startsWith("epoch ") && !description.endsWith(": test");
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String what = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
        if (!training(what)) {
            return;
        }
        int job = start.jobId();
        startNanos.put(job, System.nanoTime());
        tasks.put(job, new int[1]);
        executors.put(job, ConcurrentHashMap.newKeySet());
        bytes.put(job, new long[2]);
        scala.collection.Iterator<StageInfo> it = start.stageInfos().iterator();
        while (it.hasNext()) {
            jobOfStage.put(it.next().stageId(), job);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Integer job = jobOfStage.get(end.stageId());
        if (job == null || end.taskMetrics() == null || !"Success".equals(String.valueOf(end.reason()))) {
            return;
        }
        int[] n = tasks.get(job);
        long[] b = bytes.get(job);
        if (n == null) {
            return;
        }
        synchronized (n) {
            n[0]++;
            if ("ResultTask".equals(end.taskType())) {
                b[0] += end.taskMetrics().resultSize();
            }
            b[1] += end.taskMetrics().shuffleWriteMetrics().bytesWritten();
        }
        executors.get(job).add(end.taskInfo().executorId());
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        Long t0 = startNanos.remove(end.jobId());
        if (t0 == null) {
            return;
        }
        int[] n = tasks.remove(end.jobId());
        long[] b = bytes.remove(end.jobId());
        synchronized (jobs) {
            jobs.add(new Job(n[0], executors.remove(end.jobId()), b[0], b[1], (System.nanoTime() - t0) / 1e9));
        }
    }

    /** The training jobs seen so far, after Spark's listener bus has delivered every event. */
    List<Job> jobs() {
        try {
            sc.listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            // figures of the last events may be missing; they are a report, not a result
        }
        synchronized (jobs) {
            return List.copyOf(jobs);
        }
    }

    /**
     * Per training job (median tasks, executors, seconds; mean bytes), with the task slots the application had:
     * {@code tasks_per_round == task_slots} when a round uses every core.
     */
    Map<String, Object> summary() {
        List<Job> all = jobs();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", all.size());
        if (all.isEmpty()) {
            return m;
        }
        m.put("tasks_per_round", median(all.stream().mapToDouble(Job::tasks).toArray()));
        Set<String> ids = new TreeSet<>();
        all.forEach(j -> ids.addAll(j.executors()));
        m.put("executors", ids.size());
        m.put("task_slots", sc.defaultParallelism());
        m.put("driver_bytes_per_round", Math.round(all.stream().mapToLong(Job::resultBytes).average().orElse(0)));
        m.put("shuffle_bytes_per_round", Math.round(all.stream().mapToLong(Job::shuffleBytes).average().orElse(0)));
        m.put("seconds_per_round", median(all.stream().mapToDouble(Job::seconds).toArray()));
        return m;
    }

    /** The summary as a log line. */
    static String describe(Map<String, Object> s) {
        if (((Number) s.get("jobs")).intValue() == 0) {
            return "training jobs: none";
        }
        return String.format("training jobs: %d, each %s tasks on %s executor(s) (%s task slots), %.3f s (median); "
                        + "%,d bytes to the driver and %,d shuffled a job (mean)", s.get("jobs"), fmt(s.get("tasks_per_round")),
                s.get("executors"), s.get("task_slots"), ((Number) s.get("seconds_per_round")).doubleValue(),
                ((Number) s.get("driver_bytes_per_round")).longValue(), ((Number) s.get("shuffle_bytes_per_round")).longValue());
    }

    private static String fmt(Object x) {
        double d = ((Number) x).doubleValue();
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
    }
}
