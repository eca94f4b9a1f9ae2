package io.shardprop.job.testing;

import io.shardprop.job.Main;
import org.apache.spark.sql.SparkSession;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shardprop ARGS} run in this JVM through {@link Main#run}: its exit code and what it wrote to stderr. */
public record MainRun(int code, String err) {

    public static MainRun of(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), args);
        return new MainRun(code, err.toString());
    }

    public static MainRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /**
     * Asserts a usage error as users meet it: exit 2 and one line containing {@code expected}, before any
     * SparkSession started and without writing {@code notWritten}.
     */
    public void assertUsageError(String expected, Path notWritten) {
        assertEquals(2, code, err);
        assertTrue(err.contains(expected), "'" + expected + "' not in: " + err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertNoSparkSession();
        assertTrue(Files.notExists(notWritten), "nothing written at " + notWritten);
    }

    /** Asserts that no SparkSession is active or the default one. */
    public static void assertNoSparkSession() {
        assertTrue(SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty(),
                "no SparkSession may start");
    }
}
