package io.shardprop.job.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.job.error.UsageException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive claim on an output path for one command's lifetime: the file {@code .NAME.claim} beside the output
 * {@code NAME} (so that replacing the output never removes it), created only if absent — atomically: on the local
 * file system with {@code O_CREAT|O_EXCL}, on HDFS by the NameNode's create-if-absent — and holding its owner: the
 * command, host, the host's boot id, the process id and its start time. The owner renews the file's modification
 * time every {@value #RENEW_SECONDS} s (its lease) and deletes it when done.
 *
 * <p>A claim whose owner is gone is <em>stale</em>: on the owner's host (same name and boot id), when no process
 * with its pid and start time runs (exact, at once after a {@code kill -9}); from another host, when its lease has
 * not been renewed for {@value #LEASE_SECONDS} s. A stale claim is taken over by a command that may replace or
 * continue the output ({@code --overwrite}, {@code --resume}): renamed away (one taker wins), then claimed anew.
 * By hand: delete the {@code .NAME.claim} file. On object stores without create-if-absent (S3A) the claim is only
 * advisory.
 */
public final class OutClaim implements AutoCloseable {

    static final long RENEW_SECONDS = 30;
    static final long LEASE_SECONDS = 90;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who holds a claim. {@code processStart} is the process's start, epoch ms (with the pid, it names one process). */
    public record Owner(String command, String host, String boot, long pid, long processStart, String since) {

        /** This process, running {@code command}. */
        static Owner self(String command) {
            ProcessHandle me = ProcessHandle.current();
            return new Owner(command, hostName(), bootId(), me.pid(),
                    me.info().startInstant().map(Instant::toEpochMilli).orElse(0L), Instant.now().toString());
        }

        /** E.g. {@code train (pid 4242 on host node-3, since 2026-12-04T17:10:00Z)}. */
        public String describe() {
            return command + " (pid " + pid + " on host " + host + ", since " + since + ")";
        }
    }

    /** A claim found on a path: its owner (null if unreadable), its age since last renewed, and whether it is stale. */
    public record Found(String claim, Owner owner, Duration unrenewed, boolean stale, String why) {
        /** One clause for messages: who holds it and, if stale, why it counts as gone. */
        public String describe() {
            String who = owner == null ? "an unreadable claim " + claim : owner.describe();
            return stale ? who + ", which is gone (" + why + ")" : who;
        }
    }

    private final HadoopFs fs;
    private final String file;
    private final byte[] content;
    private final ScheduledExecutorService renewer;

    private OutClaim(HadoopFs fs, String file, byte[] content) {
        this.fs = fs;
        this.file = file;
        this.content = content;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardprop-claim-renewer");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleAtFixedRate(this::renew, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
    }

    /** The claim file of output {@code out}: {@code .NAME.claim} in the same folder. */
    public static String fileOf(HadoopFs fs, String out) {
        Path p = new Path(fs.qualify(out));
        return new Path(p.getParent(), "." + p.getName() + ".claim").toString();
    }

    /** The claim on {@code out} if there is one (a live or a stale one). */
    public static Optional<Found> find(HadoopFs fs, String out) throws IOException {
        String claim = fileOf(fs, out);
        Path p = new Path(claim);
        FileSystem f = fs.fs(p);
        org.apache.hadoop.fs.FileStatus st;
        try {
            st = f.getFileStatus(p);
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        }
        Duration unrenewed = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - st.getModificationTime()));
        Owner owner = readOwner(fs, claim);
        boolean leaseOver = unrenewed.getSeconds() > LEASE_SECONDS;
        if (owner != null && owner.host().equals(hostName()) && owner.boot().equals(bootId())) {
            boolean alive = ProcessHandle.of(owner.pid()).filter(h -> owner.processStart() == 0
                    || h.info().startInstant().map(Instant::toEpochMilli).orElse(0L) == owner.processStart()).isPresent();
            return Optional.of(new Found(claim, owner, unrenewed, !alive, "no process " + owner.pid() + " runs on this host"));
        }
        return Optional.of(new Found(claim, owner, unrenewed, leaseOver, "its lease was last renewed "
                + unrenewed.getSeconds() + " s ago, over " + LEASE_SECONDS + " s"));
    }

    /** The owner a claim file names, or null while it is being written or when it is damaged. */
    private static Owner readOwner(HadoopFs fs, String claim) {
        try {
            return JSON.readValue(fs.readAll(claim), Owner.class);
        } catch (IOException | RuntimeException e) {
            return null;  // judged by its lease alone
        }
    }

    /**
     * Claims {@code out} for {@code command}.
     *
     * @param takeOverStale whether a stale claim may be taken over (the command replaces or continues the output)
     * @param what          how messages name the output, e.g. {@code --out}
     * @throws UsageException when another command holds it (live), or a stale claim may not be taken over: one line
     *                        naming the holder and what the user can do
     */
    public static OutClaim acquire(HadoopFs fs, String out, String command, boolean takeOverStale, String what)
            throws IOException {
        Owner self = Owner.self(command);
        byte[] content = (JSON.writeValueAsString(self) + "\n").getBytes(StandardCharsets.UTF_8);
        String claim = fileOf(fs, out);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (createIfAbsent(fs, claim, content)) {
                return new OutClaim(fs, claim, content);
            }
            Optional<Found> found = find(fs, out);
            if (found.isEmpty()) {
                continue;  // released meanwhile
            }
            Found f = found.get();
            if (!f.stale()) {
                throw new UsageException(what + ": " + fs.qualify(out) + " is in use by " + f.describe()
                        + ": wait for it to finish, or choose another " + what);
            }
            if (!takeOverStale) {
                throw new UsageException(what + ": " + fs.qualify(out) + " was left by " + f.describe()
                        + "; pass --resume to continue it or --overwrite to replace it (or delete " + claim + ")");
            }
            String away = claim + ".stale-" + UUID.randomUUID();
            try {
                fs.rename(claim, away);  // one taker wins: the others find no source to rename
                fs.deleteRecursively(away);
                org.slf4j.LoggerFactory.getLogger(OutClaim.class).info("took over {} from {}", claim, f.describe());
            } catch (IOException e) {
                // another command took it first; the next attempt finds its claim
            }
        }
        throw new UsageException(what + ": " + fs.qualify(out) + ": could not claim it (" + claim
                + " changed hands three times)");
    }

    /** Whether this process wrote {@code claim}, created only if it did not exist. */
    static boolean createIfAbsent(HadoopFs fs, String claim, byte[] content) throws IOException {
        Path p = new Path(claim);
        FileSystem f = fs.fs(p);
        f.mkdirs(p.getParent());
        if ("file".equals(f.getUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(p.toUri());
            try (OutputStream o = Files.newOutputStream(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                o.write(content);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            return true;
        }
        try (OutputStream o = f.create(p, false)) {
            o.write(content);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (f.exists(p) && !java.util.Arrays.equals(content, fs.readAll(claim))) {
                return false;  // e.g. HDFS's AlreadyBeingCreatedException
            }
            throw e;
        }
        return true;
    }

    /** The claim file. */
    public String file() {
        return file;
    }

    private void renew() {
        try {
            Path p = new Path(file);
            fs.fs(p).setTimes(p, System.currentTimeMillis(), -1);
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(OutClaim.class).warn("could not renew {}: {}", file, e.getMessage());
        }
    }

    /** Releases the claim: deletes the file if it is still this one's. Never throws. */
    @Override
    public void close() {
        renewer.shutdownNow();
        boolean ours;
        try {
            ours = java.util.Arrays.equals(content, fs.readAll(file));
        } catch (java.io.FileNotFoundException e) {
            return;  // gone already
        } catch (IOException | RuntimeException e) {
            ours = true;  // unreadable now (e.g. HDFS without a DataNode), but deleting is the NameNode's alone
        }
        try {
            if (ours) {
                fs.deleteRecursively(file);
            }
        } catch (IOException | RuntimeException e) {
            // a later command judges it by its owner
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** Linux's boot id (a new one at every boot), so that a pid of an earlier boot is not taken for a live one. */
    static String bootId() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
