package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.StopSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** A launched (or adopted) process; its methods are thread-safe. */
public interface RunningProcess {

    /** The process's identity on this node. */
    ProcessKey key();

    /** Host pid of the process's init (tini) with runc, of its process-group leader without isolation. */
    long pid();

    /** When the node launched it. */
    Instant startedAt();

    /** Completes once the process and every process it started are gone and all its output was delivered. */
    CompletableFuture<ProcessExit> exit();

    /** Stops the process with the signal and grace it was launched with; see {@link #stop(StopSignal, Duration)}. */
    default CompletableFuture<ProcessExit> stop() {
        return stop(null, null);
    }

    /**
     * Stops the process with the ladder: shutdown signal, grace, SIGQUIT, 2 s, SIGKILL to everything left. A null
     * {@code signal} or {@code grace} means the one the process was launched with. Idempotent: the first call's
     * ladder runs, and every call (whatever it asks for) returns the same future, which completes with the same value
     * as {@link #exit()}.
     */
    CompletableFuture<ProcessExit> stop(StopSignal signal, Duration grace);
}
