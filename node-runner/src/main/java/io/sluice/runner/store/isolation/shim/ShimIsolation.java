package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.store.StateRootLock;
import io.sluice.runner.domain.ContainerIds;
import io.sluice.runner.store.isolation.process.LaunchChecks;
import io.sluice.runner.store.isolation.process.LaunchFailedException;
import io.sluice.runner.store.isolation.process.LogOffsets;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.ProcessIsolation;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import io.sluice.runner.store.isolation.process.RunningProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both isolation modes share: processes started through a detached {@link Shim}, their state under
 * {@code <runtimeRoot>/processes/<id>/}, a lock per process, adoption after a restart, and the exit bookkeeping.
 */
public abstract class ShimIsolation implements ProcessIsolation {

    /** A launch that passed its checks: its record and the command the shim runs. */
    public record Prepared(ProcessRecord record, List<String> command, Map<String, String> shimEnv, Path shimCwd) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ShimIsolation.class);
    private static final long ADOPTED_POLL_MILLIS = 50;

    private final List<StateRootLock> rootLocks;
    /** The runtime root when it is not the state root: removed at close when no process is left in it. */
    private final Path ownRuntimeRoot;
    private final Path processesDir;
    private final NodeSettings settings;
    private final Shim shim;
    private final Map<ProcessKey, TrackedProcess> tracked = new ConcurrentHashMap<>();
    private final Map<ProcessKey, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final IsolationThreads threads;
    private volatile Consumer<String> stopEscalations = signal -> { };
    private volatile boolean closed;

    /**
     * @param stateRoot   what outlives the host's processes: the shim's binary (a runtime dir may be noexec)
     * @param runtimeRoot what lives only as long as the host's processes: their state directories
     */
    protected ShimIsolation(Path stateRoot, Path runtimeRoot, NodeSettings settings) {
        // Compared as normalized absolute paths: one directory spelled two ways must not be locked twice.
        boolean oneRoot = stateRoot.toAbsolutePath().normalize().equals(runtimeRoot.toAbsolutePath().normalize());
        this.ownRuntimeRoot = oneRoot ? null : runtimeRoot;
        this.rootLocks = oneRoot ? List.of(StateRootLock.acquire(stateRoot))
                : List.of(StateRootLock.acquire(stateRoot), StateRootLock.acquire(runtimeRoot));
        this.shim = ShimInstaller.install(stateRoot);
        this.threads = new IsolationThreads();
        this.processesDir = runtimeRoot.resolve("processes");
        this.settings = Objects.requireNonNull(settings, "settings");
        try {
            Files.createDirectories(processesDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + processesDir, e);
        }
    }

    /** Checks the spec, prepares what the process needs on disk and says what the shim must run. */
    protected abstract Prepared prepare(ProcessSpec spec, ProcessStateDir dir)
            throws LaunchFailedException, IOException;

    /** Waits until the process runs and returns its pid, or explains why it did not start. */
    protected abstract long awaitStarted(ProcessStateDir dir, ProcessRecord record, Process shim)
            throws LaunchFailedException;

    /** The pid to report for a process adopted from disk. */
    protected abstract long pidOf(ProcessRecord record, ProcessStateDir dir);

    @Override
    public void onStopEscalation(Consumer<String> listener) {
        this.stopEscalations = listener;
    }

    /** Sends a signal ("TERM", "INT", "QUIT") the way the mode delivers it to the process. */
    protected abstract void deliver(ProcessRecord record, ProcessStateDir dir, String signal);

    /** SIGKILL to every process of the process. */
    protected abstract void killEverything(ProcessRecord record, ProcessStateDir dir);

    /** After the shim ended: make sure nothing of the process is left, then say how it ended. */
    protected abstract ProcessExit collectExit(ProcessRecord record, ProcessStateDir dir, Integer status,
                                               Instant exitedAt);

    /** Frees what the process held once its exit is recorded (container, cgroup); safe to repeat. */
    protected abstract void release(ProcessRecord record, ProcessStateDir dir);

    /** Kills and releases a process whose exit can no longer be observed. */
    protected abstract void abandon(ProcessRecord record, ProcessStateDir dir);

    /** The id of a process's state dir (and container); stable for a key, safe as a file and cgroup name. */
    static String idOf(ProcessKey key) {
        return ContainerIds.containerId(key);
    }

    @Override
    public RunningProcess launch(ProcessSpec spec, OutputListener output) throws LaunchFailedException {
        LaunchTimings timings = new LaunchTimings();
        timings.launchCalled = System.nanoTime();
        Objects.requireNonNull(spec, "spec");
        LaunchChecks.identity(spec);
        ProcessKey key = spec.key();
        ReentrantLock lock = lockOf(key);
        lock.lock();
        try {
            ensureOpen();
            TrackedProcess known = tracked.get(key);
            if (known != null) {
                return known;
            }
            ProcessStateDir dir = stateDirOf(key);
            if (dir.exists()) {
                Optional<TrackedProcess> adopted = adoptLocked(key, dir, listenerOrDiscard(output), LogOffsets.START);
                if (adopted.isPresent()) {
                    return adopted.get();
                }
            }
            return start(spec, dir, listenerOrDiscard(output), timings);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<RunningProcess> adopt(String workerId, String processName, OutputListener output,
                                          LogOffsets from) {
        ProcessKey key = new ProcessKey(workerId, processName);
        ReentrantLock lock = lockOf(key);
        lock.lock();
        try {
            ensureOpen();
            TrackedProcess known = tracked.get(key);
            if (known != null) {
                return Optional.of(known);
            }
            ProcessStateDir dir = stateDirOf(key);
            if (!dir.exists()) {
                return Optional.empty();
            }
            return adoptLocked(key, dir, listenerOrDiscard(output), from).map(p -> p);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ProcessKey> listKnown() {
        List<ProcessKey> keys = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(processesDir)) {
            dirs.map(ProcessStateDir::new).forEach(dir -> dir.readRecord().ifPresent(r -> keys.add(r.key())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + processesDir, e);
        }
        return keys;
    }

    @Override
    public void forget(String workerId, String processName) {
        ProcessKey key = new ProcessKey(workerId, processName);
        ReentrantLock lock = lockOf(key);
        lock.lock();
        try {
            ProcessStateDir dir = stateDirOf(key);
            TrackedProcess known = tracked.get(key);
            boolean running = known != null ? !known.exit().isDone()
                    : dir.readExit().isEmpty() && Shim.alive(dir);
            if (running) {
                throw new IllegalStateException("process " + key + " still runs: stop it before forgetting it");
            }
            if (known != null) {
                known.stopFollowing();
            }
            dir.readRecord().ifPresent(r -> release(r, dir));
            dir.delete();
            tracked.remove(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        tracked.values().forEach(TrackedProcess::stopFollowing);
        threads.close();
        shim.close();
        removeRuntimeRootIfUnused();
        rootLocks.forEach(StateRootLock::release);
    }

    /**
     * A runner that stops with no process left leaves nothing under /run: its runtime root holds then only its lock
     * and empty directories (runc's included). One with processes keeps it for the runner that adopts them.
     */
    private void removeRuntimeRootIfUnused() {
        if (ownRuntimeRoot == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(ownRuntimeRoot)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            boolean unused = all.stream().allMatch(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    || p.getFileName().toString().equals(StateRootLock.FILE_NAME));
            if (unused) {
                for (Path path : all) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot tidy the runtime dir {}: {}", ownRuntimeRoot, e.toString());
        }
    }

    /** The process this instance tracks under {@code key}, if any. */
    public Optional<TrackedProcess> tracked(ProcessKey key) {
        return Optional.ofNullable(tracked.get(key));
    }

    protected NodeSettings settings() {
        return settings;
    }

    /** The shim this instance starts processes under. */
    public Shim shim() {
        return shim;
    }

    public ProcessStateDir stateDirOf(ProcessKey key) {
        return new ProcessStateDir(processesDir.resolve(idOf(key)));
    }

    /** Writes exit.json, then frees the container; skipped when the process was forgotten meanwhile. */
    private void recordExit(TrackedProcess process, ProcessExit exit) {
        withLock(process.key(), () -> {
            ProcessStateDir dir = process.dir();
            if (tracked.get(process.key()) != process || !dir.exists()) {
                return;
            }
            try {
                if (dir.readExit().isEmpty()) {
                    dir.writeExit(exit);
                }
                release(process.record(), dir);
            } catch (RuntimeException e) {
                LOG.error("cannot record the exit of {}", process.key(), e);
            }
        });
    }

    private TrackedProcess start(ProcessSpec spec, ProcessStateDir dir, OutputListener output, LaunchTimings timings)
            throws LaunchFailedException {
        Prepared prepared;
        try {
            Files.createDirectory(dir.path());
            timings.stateDirCreated = System.nanoTime();
            prepared = prepare(spec, dir);
            timings.bundleWritten = System.nanoTime();
        } catch (LaunchFailedException e) {
            dir.delete();
            throw e;
        } catch (IOException | UncheckedIOException e) {
            dir.delete();
            throw new LaunchFailedException("cannot prepare process " + spec.key() + ": " + e.getMessage(), e);
        }
        ProcessRecord record = prepared.record();
        dir.writeRecord(record);
        Process shimProcess;
        try {
            timings.shimSpawning = System.nanoTime();
            shimProcess = shim.start(dir, record, prepared.command(), prepared.shimEnv(), prepared.shimCwd());
        } catch (IOException e) {
            dir.delete();
            throw new LaunchFailedException("cannot start the process shim: " + e.getMessage(), e);
        }
        long pid;
        try {
            pid = awaitStarted(dir, record, shimProcess);
        } catch (LaunchFailedException e) {
            abandon(record, dir);
            dir.delete();
            throw e;
        }
        TrackedProcess process = track(record, dir, pid, timings);
        process.follow(output, LogOffsets.START);
        shimProcess.onExit().thenRun(() -> {
            timings.shimExited = System.nanoTime();
            Instant exitedAt = Instant.now();
            threads.runBlocking(() -> finish(process, exitedAt));
        });
        return process;
    }

    private TrackedProcess track(ProcessRecord record, ProcessStateDir dir, long pid, LaunchTimings timings) {
        ProcessSignals signals = new ProcessSignals() {
            @Override
            public void send(String signal) {
                // Under the process's lock, so that signals never race a launch or another step.
                withLock(record.key(), () -> deliver(record, dir, signal));
            }

            @Override
            public void killAll() {
                withLock(record.key(), () -> killEverything(record, dir));
            }
        };
        TrackedProcess process = new TrackedProcess(record, dir, pid, timings, signals, settings.quitGrace(), threads,
                signal -> stopEscalations.accept(signal));
        tracked.put(record.key(), process);
        return process;
    }

    /**
     * The shim has exited (or vanished): deliver the last output, report the exit, then record it and free the
     * container. Reporting first is safe: until exit.json is written, exit_status and the kept cgroup hold the same
     * facts for an adopting runner.
     */
    private void finish(TrackedProcess process, Instant exitedAt) {
        if (!process.startFinishing()) {
            return;
        }
        ProcessRecord record = process.record();
        ProcessStateDir dir = process.dir();
        ProcessExit result;
        try {
            Integer status = dir.readExitStatus().orElse(null);
            if (status == null) {
                LOG.warn("process {} ended without an exit status: reporting it lost", record.key());
                abandon(record, dir);
            }
            result = collectExit(record, dir, status, exitedAt);
        } catch (RuntimeException e) {
            LOG.error("cannot collect the exit of {}", record.key(), e);
            result = new ProcessExit(null, null, false, between(record.started(), exitedAt), null);
        }
        process.complete(result);
        recordExit(process, result);
    }

    /** For a process this runner did not start: polls for the shim's exit. */
    private void watchShim(TrackedProcess process) {
        ProcessStateDir dir = process.dir();
        process.watchedBy(threads.ticker().scheduleWithFixedDelay(() -> {
            if (dir.readExitStatus().isPresent() || !Shim.alive(dir)) {
                Instant exitedAt = dir.exitStatusTime().orElse(Instant.now());
                threads.runBlocking(() -> finish(process, exitedAt));
            }
        }, 0, ADOPTED_POLL_MILLIS, TimeUnit.MILLISECONDS));
    }

    private Optional<TrackedProcess> adoptLocked(ProcessKey key, ProcessStateDir dir, OutputListener output,
                                                 LogOffsets from) {
        Optional<ProcessRecord> stored = dir.readRecord();
        if (stored.isEmpty() || (dir.readShimPid().isEmpty() && dir.readExitStatus().isEmpty()
                && dir.readExit().isEmpty())) {
            // A launch that a crash interrupted before the process started: nothing to adopt.
            LOG.warn("dropping the incomplete launch record of {} in {}", key, dir.path());
            stored.ifPresent(r -> abandon(r, dir));
            dir.delete();
            return Optional.empty();
        }
        ProcessRecord record = stored.get();
        TrackedProcess process = track(record, dir, pidOf(record, dir), new LaunchTimings());
        process.follow(output, from);
        Optional<ProcessExit> recorded = dir.readExit();
        if (recorded.isPresent()) {
            process.completeRecorded(recorded.get());
            threads.runBlocking(() -> recordExit(process, recorded.get()));
        } else {
            watchShim(process);
        }
        return Optional.of(process);
    }

    private void withLock(ProcessKey key, Runnable action) {
        ReentrantLock lock = lockOf(key);
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private ReentrantLock lockOf(ProcessKey key) {
        return locks.computeIfAbsent(key, k -> new ReentrantLock());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this isolation layer is closed");
        }
    }

    private static OutputListener listenerOrDiscard(OutputListener output) {
        return output != null ? output : OutputListener.DISCARD;
    }

    /** Creates the log files if needed and returns their current sizes, where this run's output starts. */
    protected static long[] prepareLogs(Path stdout, Path stderr) throws IOException {
        if (!Files.isDirectory(stdout.getParent())) {
            Files.createDirectories(stdout.getParent());
        }
        long[] sizes = new long[2];
        int i = 0;
        for (Path log : List.of(stdout, stderr)) {
            if (Files.exists(log, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(log); // the job's log directory is the job's: a link it left there is not its log
            }
            if (!Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(log);
            }
            sizes[i++] = (Long) Files.getAttribute(log, "size", LinkOption.NOFOLLOW_LINKS);
        }
        return sizes;
    }

    protected static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
