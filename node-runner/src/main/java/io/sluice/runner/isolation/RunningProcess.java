package io.sluice.runner.isolation;

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

    /**
     * Stops the process with the ladder: shutdown signal, grace, SIGQUIT, 2 s, SIGKILL to everything left.
     * Idempotent: every call returns the same future, which completes with the same value as {@link #exit()}.
     */
    CompletableFuture<ProcessExit> stop();
}
