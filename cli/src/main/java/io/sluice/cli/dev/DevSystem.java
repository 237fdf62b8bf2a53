package io.sluice.cli.dev;

import io.sluice.cli.jobs.CurrentUser;
import java.time.Duration;
import java.util.List;

import io.sluice.cli.Console;

/** One {@code sluice dev} run: broker and database, the services, the wait for health, then an orderly stop. */
final class DevSystem {

    /** The last line of every run that cleaned up after itself. */
    static final String ALL_STOPPED = "everything stopped";

    private static final String LABEL = "sluice";

    private final DevSettings settings;
    private final Console console;
    private long stoppingSince;

    DevSystem(DevSettings settings, Console console) {
        this.settings = settings;
        this.console = console;
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
        ServiceFleet fleet = ServiceFleet.launch(settings, infrastructure, data, ownerKey, console);
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
            fleet.stop(settings.stopGrace());
            removeShutdownHook(killServicesOnExit);
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
