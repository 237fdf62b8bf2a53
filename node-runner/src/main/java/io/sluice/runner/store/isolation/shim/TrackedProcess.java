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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A process the node launched or adopted: follows its output, starts its {@link StopLadder} on the first stop and
 * completes its exit once the isolation that tracks it has collected it.
 */
public final class TrackedProcess implements RunningProcess {

    private final ProcessRecord record;
    private final ProcessStateDir dir;
    private final long pid;
    private final LaunchTimings timings;
    private final ProcessSignals signals;
    private final Duration quitGrace;
    private final IsolationThreads threads;
    private final Consumer<String> escalations;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<ProcessExit>> stopping = new AtomicReference<>();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private volatile LogFollower follower;
    private volatile ScheduledFuture<?> shimWatch;

    /**
     * @param signals   how its stop ladder reaches it
     * @param quitGrace how long its stop ladder gives SIGQUIT before SIGKILL
     * @param escalations told each time its stop ladder escalates ("QUIT", "KILL")
     */
    TrackedProcess(ProcessRecord record, ProcessStateDir dir, long pid, LaunchTimings timings, ProcessSignals signals,
                   Duration quitGrace, IsolationThreads threads, Consumer<String> escalations) {
        this.record = record;
        this.dir = dir;
        this.pid = pid;
        this.timings = timings;
        this.signals = signals;
        this.quitGrace = quitGrace;
        this.threads = threads;
        this.escalations = escalations;
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
        CompletableFuture<ProcessExit> existing = stopping.get();
        if (existing != null) {
            return existing;
        }
        CompletableFuture<ProcessExit> requested = new CompletableFuture<>();
        if (!stopping.compareAndSet(null, requested)) {
            return stopping.get();
        }
        exit.whenComplete((value, failure) -> {
            if (failure != null) {
                requested.completeExceptionally(failure);
            } else {
                requested.complete(value);
            }
        });
        if (!exit.isDone()) {
            new StopLadder(key(), exit, signals, signal != null ? signal : record.shutdownSignal(),
                    grace != null ? grace : record.stopGrace(), quitGrace, threads, escalations).start();
        }
        return requested;
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
        follower.start(threads.ticker());
    }

    /** For a process this runner did not start: what polls for the shim's exit, cancelled once it finishes. */
    void watchedBy(ScheduledFuture<?> watch) {
        shimWatch = watch;
    }

    /** True for the first caller only, which then collects the exit and {@link #complete completes} it. */
    boolean startFinishing() {
        if (!finishing.compareAndSet(false, true)) {
            return false;
        }
        timings.finishing = System.nanoTime();
        if (shimWatch != null) {
            shimWatch.cancel(false);
        }
        return true;
    }

    /** Delivers the last output and reports the exit collected by the first {@link #startFinishing} caller. */
    void complete(ProcessExit result) {
        timings.exitCollected = System.nanoTime();
        completeWith(result);
    }

    /** An exit recorded by an earlier runner. */
    void completeRecorded(ProcessExit recorded) {
        finishing.set(true);
        completeWith(recorded);
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
}
