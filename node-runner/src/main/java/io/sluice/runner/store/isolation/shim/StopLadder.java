package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.StopSignal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops one process as the node runtime contract in node-runner/README.md says: its shutdown signal (TERM, or the
 * job's), the grace, SIGQUIT, a short grace, then SIGKILL to everything left in it, repeated while anything is; each
 * step is skipped once the process exited.
 */
final class StopLadder {

    /** After SIGKILL, how often the kill is repeated while the process is somehow still there. */
    private static final Duration KILL_RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(StopLadder.class);

    private enum Step { SHUTDOWN_SIGNAL, QUIT, FIRST_KILL, KILL }

    private final ProcessKey key;
    private final CompletableFuture<?> exit;
    private final ProcessSignals signals;
    private final StopSignal shutdownSignal;
    private final Duration grace;
    private final Duration quitGrace;
    private final IsolationThreads threads;
    private final Consumer<String> escalations;

    /**
     * @param exit           completes when the process exited: the ladder stops there
     * @param shutdownSignal the first signal
     * @param grace          how long the shutdown signal is given before SIGQUIT
     * @param quitGrace      how long SIGQUIT is given before SIGKILL
     * @param escalations    told once when the ladder sends QUIT and once when it first kills
     */
    StopLadder(ProcessKey key, CompletableFuture<?> exit, ProcessSignals signals, StopSignal shutdownSignal,
               Duration grace, Duration quitGrace, IsolationThreads threads, Consumer<String> escalations) {
        this.key = key;
        this.exit = exit;
        this.signals = signals;
        this.shutdownSignal = shutdownSignal;
        this.grace = grace;
        this.quitGrace = quitGrace;
        this.threads = threads;
        this.escalations = escalations;
    }

    /** Sends the shutdown signal (on a blocking thread) and schedules the next steps. */
    void start() {
        threads.runBlocking(() -> step(Step.SHUTDOWN_SIGNAL));
    }

    private void step(Step step) {
        if (exit.isDone()) {
            return;
        }
        switch (step) {
            case SHUTDOWN_SIGNAL -> {
                signals.send(shutdownSignal.name());
                later(grace, Step.QUIT);
            }
            case QUIT -> {
                LOG.info("process {} still runs {} after {}: sending QUIT", key, grace, shutdownSignal);
                escalations.accept("QUIT");
                signals.send("QUIT");
                later(quitGrace, Step.FIRST_KILL);
            }
            case FIRST_KILL -> {
                LOG.info("process {} still runs after QUIT: killing everything in it", key);
                escalations.accept("KILL");
                signals.killAll();
                later(KILL_RETRY, Step.KILL);
            }
            case KILL -> {
                LOG.info("process {} still runs after SIGKILL: killing everything in it again", key);
                signals.killAll();
                later(KILL_RETRY, Step.KILL);
            }
        }
    }

    private void later(Duration delay, Step step) {
        threads.schedule(() -> threads.runBlocking(() -> step(step)), delay);
    }
}
