package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.isolation.process.LogOffsets;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import io.sluice.runner.store.isolation.process.RunningProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A process the node launched or adopted: follows its output, observes its exit and runs its stop ladder. */
public final class TrackedProcess implements RunningProcess {

    /** After SIGKILL, how often the kill is repeated while the process is somehow still there. */
    private static final Duration KILL_RETRY = Duration.ofSeconds(5);
    private static final long ADOPTED_POLL_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(TrackedProcess.class);

    private final ShimIsolation isolation;
    private final ProcessRecord record;
    private final ProcessStateDir dir;
    private final long pid;
    private final LaunchTimings timings;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private final AtomicReference<Stopping> stopping = new AtomicReference<>();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private volatile LogFollower follower;
    private volatile ScheduledFuture<?> shimWatch;

    TrackedProcess(ShimIsolation isolation, ProcessRecord record, ProcessStateDir dir, long pid, LaunchTimings timings) {
        this.isolation = isolation;
        this.timings = timings;
        this.record = record;
        this.dir = dir;
        this.pid = pid;
    }

    @Override
    public ProcessKey key() {
        return record.key();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Instant startedAt() {
        return record.started();
    }

    @Override
    public CompletableFuture<ProcessExit> exit() {
        return exit;
    }

    @Override
    public CompletableFuture<ProcessExit> stop(StopSignal signal, Duration grace) {
        if (grace != null && grace.isNegative()) {
            throw new IllegalArgumentException("a stop grace must not be negative, got " + grace);
        }
        Stopping existing = stopping.get();
        if (existing != null) {
            return existing.exit();
        }
        Stopping requested = new Stopping(new CompletableFuture<>(),
                signal != null ? signal : record.shutdownSignal(), grace != null ? grace : record.stopGrace());
        if (!stopping.compareAndSet(null, requested)) {
            return stopping.get().exit();
        }
        exit.whenComplete((value, failure) -> {
            if (failure != null) {
                requested.exit().completeExceptionally(failure);
            } else {
                requested.exit().complete(value);
            }
        });
        if (!exit.isDone()) {
            isolation.runBlocking(() -> ladder(Step.SHUTDOWN_SIGNAL));
        }
        return requested.exit();
    }

    public LaunchTimings timings() {
        return timings;
    }

    ProcessRecord record() {
        return record;
    }

    ProcessStateDir dir() {
        return dir;
    }

    void follow(OutputListener listener, LogOffsets from) {
        follower = new LogFollower(record.processName(), listener, record, from);
        follower.start(isolation.ticker());
    }

    /** For a process this runner did not start: polls for the shim's exit. */
    void watchShim() {
        shimWatch = isolation.ticker().scheduleWithFixedDelay(() -> {
            if (dir.readExitStatus().isPresent() || !Shim.alive(dir)) {
                Instant exitedAt = dir.exitStatusTime().orElse(Instant.now());
                isolation.runBlocking(() -> finish(exitedAt));
            }
        }, 0, ADOPTED_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The shim has exited (or vanished): deliver the last output, report the exit, then record it and free the
     * container. Reporting first is safe: until exit.json is written, exit_status and the kept cgroup hold the same
     * facts for an adopting runner.
     */
    void finish(Instant exitedAt) {
        if (!finishing.compareAndSet(false, true)) {
            return;
        }
        timings.finishing = System.nanoTime();
        if (shimWatch != null) {
            shimWatch.cancel(false);
        }
        ProcessExit result;
        try {
            Integer status = dir.readExitStatus().orElse(null);
            if (status == null) {
                LOG.warn("process {} ended without an exit status: reporting it lost", key());
                isolation.abandon(record, dir);
            }
            result = isolation.collectExit(record, dir, status, exitedAt);
        } catch (RuntimeException e) {
            LOG.error("cannot collect the exit of {}", key(), e);
            result = new ProcessExit(null, null, false, ShimIsolation.between(startedAt(), exitedAt), null);
        }
        timings.exitCollected = System.nanoTime();
        completeWith(result);
        isolation.recordExit(this, result);
    }

    /** An exit recorded by an earlier runner. */
    void completeRecorded(ProcessExit recorded) {
        finishing.set(true);
        completeWith(recorded);
        isolation.runBlocking(() -> isolation.recordExit(this, recorded));
    }

    void stopFollowing() {
        LogFollower current = follower;
        if (current != null) {
            current.stop();
        }
        if (shimWatch != null) {
            shimWatch.cancel(false);
        }
    }

    private void completeWith(ProcessExit result) {
        LogFollower current = follower;
        if (current != null) {
            current.finish();
        }
        timings.exitCompleting = System.nanoTime();
        exit.complete(result);
    }

    private enum Step { SHUTDOWN_SIGNAL, QUIT, KILL }

    /** The stop that was asked for first: its future and the shutdown signal and grace its ladder uses. */
    private record Stopping(CompletableFuture<ProcessExit> exit, StopSignal signal, Duration grace) {
    }

    private void ladder(Step step) {
        if (exit.isDone()) {
            return;
        }
        Stopping requested = stopping.get();
        switch (step) {
            case SHUTDOWN_SIGNAL -> {
                isolation.signal(this, requested.signal().name());
                later(requested.grace(), Step.QUIT);
            }
            case QUIT -> {
                LOG.info("process {} still runs {} after {}: sending QUIT", key(), requested.grace(),
                        requested.signal());
                isolation.signal(this, "QUIT");
                later(isolation.settings().quitGrace(), Step.KILL);
            }
            case KILL -> {
                LOG.info("process {} still runs after QUIT: killing everything in it", key());
                isolation.killAll(this);
                later(KILL_RETRY, Step.KILL);
            }
        }
    }

    private void later(Duration delay, Step step) {
        isolation.schedule(() -> isolation.runBlocking(() -> ladder(step)), delay);
    }
}
