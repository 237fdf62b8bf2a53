package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.ProcessSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a node's job processes, isolated ({@code RuncIsolation}) or not ({@code UnisolatedProcesses}).
 *
 * <p>Thread-safe. Operations on one {@link ProcessKey} are serialized. Processes outlive the runner: a restarted
 * runner finds them with {@link #listKnown()} and re-attaches with {@link #adopt}.
 */
public interface ProcessIsolation extends AutoCloseable {

    IsolationMode mode();

    /** The cgroup hierarchy the processes' limits live in ("v1", "hybrid" or "v2"); null without isolation. */
    default String cgroupHierarchy() {
        return null;
    }

    /** What an operator must know about this isolation, each a line that reads well alone; none by default. */
    default List<String> warnings() {
        return List.of();
    }

    /** Who the processes run as: the owner of the files only the job may read, such as its secrets. */
    JobUser jobUser();

    /**
     * Starts the process and returns once it runs. Idempotent per (workerId, processName): while the process is known
     * (running, or exited and not yet {@link #forget forgotten}) a second call starts nothing and returns the same
     * process, also after a runner restart.
     *
     * @throws LaunchFailedException with an actionable message: bad limits, missing executable, bad workdir, ...
     */
    RunningProcess launch(ProcessSpec spec, OutputListener output) throws LaunchFailedException;

    /** Re-attaches to a process this node launched before, feeding {@code output} from the first byte. */
    default Optional<RunningProcess> adopt(String workerId, String processName, OutputListener output) {
        return adopt(workerId, processName, output, LogOffsets.START);
    }

    /**
     * Re-attaches to a process this node launched before (typically by a previous runner instance), still running or
     * exited meanwhile: its exit is reported all the same. Output is fed from {@code from}. Empty when the node has no
     * record of it. When this instance already tracks the process, the tracked one is returned (with its listener).
     */
    Optional<RunningProcess> adopt(String workerId, String processName, OutputListener output, LogOffsets from);

    /** Every process this node has a record of on disk: running, or exited and not forgotten. */
    List<ProcessKey> listKnown();

    /**
     * Drops the node's record of an exited process (its bundle, state and cgroup; the log files stay), after which
     * {@link #launch} starts it afresh. Call it once the exit is durably reported.
     *
     * @throws IllegalStateException when the process still runs
     */
    void forget(String workerId, String processName);

    /**
     * Tells {@code listener} each time a stop ladder has to escalate, with the signal it escalates to ("QUIT", then
     * "KILL"), for the node's metrics; an isolation without a ladder never calls it.
     */
    default void onStopEscalation(Consumer<String> listener) {
    }

    /** Stops following output and timers; the processes themselves keep running. */
    @Override
    void close();
}
