package io.shardprop.job.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.job.error.UsageException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exclusive claim on an output: one holder at a time, a crashed holder recognised, taken over only when asked. */
class OutClaimTest {

    @TempDir
    Path dir;

    private final HadoopFs fs = new HadoopFs(new Configuration());

    @Test
    void oneHolderAtATimeAndReleasedOnClose() throws Exception {
        String out = dir.resolve("run").toString();
        Path file = dir.resolve(".run.claim");
        try (OutClaim claim = OutClaim.acquire(fs, out, "train", false, "--out")) {
            assertTrue(Files.isRegularFile(file));
            var owner = new ObjectMapper().readTree(Files.readString(file));
            assertEquals(ProcessHandle.current().pid(), owner.get("pid").asLong());
            assertEquals("train", owner.get("command").asText());
            UsageException e = assertThrows(UsageException.class,
                    () -> OutClaim.acquire(fs, out, "predict", true, "--out"));
            assertTrue(e.getMessage().startsWith("--out: file:" + out + " is in use by train (pid "
                    + ProcessHandle.current().pid() + " on host "), e.getMessage());
            assertFalse(OutClaim.find(fs, out).orElseThrow().stale());
            assertEquals(file.toUri().toString().replace("file:///", "file:/"), claim.file());
        }
        assertFalse(Files.exists(file), "released");
        OutClaim.acquire(fs, out, "train", false, "--out").close();
    }

    @Test
    void aClaimWhoseProcessIsGoneIsStaleAndTakenOverOnlyWhenAsked() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String out = dir.resolve("run").toString();
        Path file = dir.resolve(".run.claim");
        OutClaim.Owner dead = new OutClaim.Owner("train", OutClaim.hostName(), OutClaim.bootId(), gone.pid(), 0,
                "2026-12-04T00:00:00Z");
        Files.writeString(file, new ObjectMapper().writeValueAsString(dead));
        OutClaim.Found found = OutClaim.find(fs, out).orElseThrow();
        assertTrue(found.stale(), found.toString());
        assertTrue(found.describe().contains("which is gone (no process " + gone.pid() + " runs on this host)"),
                found.describe());
        UsageException e = assertThrows(UsageException.class, () -> OutClaim.acquire(fs, out, "train", false, "--out"));
        assertTrue(e.getMessage().contains("was left by train (pid " + gone.pid()), e.getMessage());
        assertTrue(e.getMessage().contains("pass --resume to continue it or --overwrite to replace it"), e.getMessage());
        try (OutClaim claim = OutClaim.acquire(fs, out, "train", true, "--out")) {
            assertTrue(Files.readString(file).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the stale claim renamed away and deleted, ours released");
        }
    }

    @Test
    void anotherHostsClaimIsLiveUntilItsLeaseRunsOut() throws Exception {
        String out = dir.resolve("run").toString();
        Path file = dir.resolve(".run.claim");
        OutClaim.Owner elsewhere = new OutClaim.Owner("train", "node-that-is-not-this-one", "b", 1, 0, "then");
        Files.writeString(file, new ObjectMapper().writeValueAsString(elsewhere));
        assertFalse(OutClaim.find(fs, out).orElseThrow().stale(), "just renewed");
        assertThrows(UsageException.class, () -> OutClaim.acquire(fs, out, "train", true, "--out"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(OutClaim.LEASE_SECONDS + 5)));
        OutClaim.Found found = OutClaim.find(fs, out).orElseThrow();
        assertTrue(found.stale() && found.why().contains("lease was last renewed"), found.toString());
        OutClaim.acquire(fs, out, "train", true, "--out").close();
    }

    @Test
    void ofManyAtOnceExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String out = dir.resolve("run" + round).toString();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<OutClaim>> tries = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    Callable<OutClaim> attempt = () -> {
                        go.await();
                        try {
                            return OutClaim.acquire(fs, out, "train", true, "--out");
                        } catch (UsageException e) {
                            return null;
                        }
                    };
                    tries.add(pool.submit(attempt));
                }
                go.countDown();
                List<OutClaim> won = new ArrayList<>();
                for (Future<OutClaim> f : tries) {
                    OutClaim c = f.get();
                    if (c != null) {
                        won.add(c);
                    }
                }
                int winners = won.size();
                won.forEach(OutClaim::close);
                assertEquals(1, winners, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
