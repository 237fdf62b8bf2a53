package io.sluice.cli.dev;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.sluice.cli.Console;
import io.sluice.cli.jobs.CurrentUser;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.schemas.TopicNaming;
import picocli.CommandLine;

/** One {@code sluice dev} run: broker and database, the services, the wait for health, then an orderly stop. */
final class DevSystem {

    /** The last line of every run that cleaned up after itself. */
    static final String ALL_STOPPED = "everything stopped";

    /** The label of the lines sluice dev itself prints, beside the services' own. */
    static final String LABEL = "sluice";

    /** Beyond the startup timeout, how long the node may take to send its first heartbeat. */
    private static final Duration HEARTBEAT_MARGIN = Duration.ofSeconds(30);

    private final DevSettings settings;
    private final Console console;
    private final CommandLine command;
    private long stoppingSince;

    DevSystem(DevSettings settings, Console console, CommandLine command) {
        this.settings = settings;
        this.console = console;
        this.command = command;
    }

    /** Runs until a stop signal; 0 after a requested stop, 1 when the services did not all come up. */
    int run() throws InterruptedException {
        ServiceFleet.requireJars(settings);
        DevInfrastructure.requirePortsFree(settings);
        ServiceFleet.requirePortsFree(settings);
        StopOnSignal stop = StopOnSignal.install();
        long startedAt = System.nanoTime();
        boolean startedWell;
        try (DataDirectory data = DataDirectory.open(settings.dataDirectory(), settings.fresh());
             DevInfrastructure infrastructure = DevInfrastructure.start(settings, data, DevCredentials.prepare(data),
                     console)) {
            startedWell = runServices(infrastructure, data, stop, startedAt);
        }
        console.line(LABEL, ALL_STOPPED + " in " + Elapsed.since(stoppingSince));
        return startedWell ? 0 : 1;
    }

    private boolean runServices(DevInfrastructure infrastructure, DataDirectory data, StopOnSignal stop, long startedAt)
            throws InterruptedException {
        if (stop.await(Duration.ZERO)) {
            stoppingSince = System.nanoTime();
            console.line(LABEL, stop.reason() + " received before the services started: stopping");
            return true;
        }
        DevOwnerKey ownerKey = DevOwnerKey.prepare(data, CurrentUser.name());
        Instant launchedAt = Instant.now();
        ServiceFleet fleet = ServiceFleet.launch(settings, infrastructure, data, ownerKey, console);
        NodeVerdictWatch verdict = watchNodeVerdict(infrastructure, launchedAt);
        // Should the JVM exit some other way (System.exit elsewhere, a signal we could not handle), no service outlives it.
        Thread killServicesOnExit = new Thread(fleet::kill, "kill-services-on-exit");
        Runtime.getRuntime().addShutdownHook(killServicesOnExit);
        stop.onRepeat(() -> {
            if (fleet.anyAlive()) {
                console.alert(LABEL, "asked to stop again: killing the services still running");
                fleet.kill();
            }
        });
        try {
            AwaitHealthy.Outcome outcome = new AwaitHealthy(settings, stop, console).await(fleet.services());
            if (outcome.allUp()) {
                fleet.markAllUp();
                console.block(DevSummary.render(settings, infrastructure, ownerKey, Elapsed.since(startedAt)));
                stop.awaitRequest();
                console.line(LABEL, stop.reason() + " received: stopping");
                return true;
            }
            if (outcome.stopRequested()) {
                console.line(LABEL, stop.reason() + " received before every service was UP: stopping");
                return true;
            }
            reportStartupFailure(outcome.problems());
            return false;
        } finally {
            stoppingSince = System.nanoTime();
            if (verdict != null) {
                verdict.close();
            }
            fleet.stop(settings.stopGrace());
            removeShutdownHook(killServicesOnExit);
        }
    }

    /** Prints the node's isolation verdict once its first heartbeat comes; null when no node runs. */
    private NodeVerdictWatch watchNodeVerdict(DevInfrastructure infrastructure, Instant launchedAt) {
        if (!settings.services().contains(SluiceService.NODE_RUNNER)) {
            return null;
        }
        // The user principal may not read the heartbeats (an operator's topic): the broker admin may.
        Duration wait = settings.startupTimeout().plus(HEARTBEAT_MARGIN);
        try {
            KafkaConnection kafka = KafkaConnection.withClientConfig(infrastructure.bootstrapServers(),
                    new TopicNaming(""), infrastructure.adminClientConfig(), command);
            return NodeVerdictWatch.start(kafka, launchedAt, wait, console);
        } catch (RuntimeException cannotRead) {
            // The verdict is news, not a condition of the run.
            console.line(LABEL, IsolationVerdict.noHeartbeat(Duration.ZERO, cannotRead.getMessage()));
            return null;
        }
    }

    private void reportStartupFailure(List<String> problems) {
        console.line(LABEL, "sluice dev could not start every service:");
        problems.forEach(problem -> console.line(LABEL, "  - " + problem));
        console.line(LABEL, "stopping everything");
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyExiting) {
            // The JVM is exiting and runs the hook anyway: it kills only what is still alive.
        }
    }
}
