package io.sluice.cli.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.sluice.cli.Console;

/** Polls every service's /health until all answer UP, one exits, a stop is requested, or the deadline passes. */
final class AwaitHealthy {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    /** How the wait ended: every service UP, a stop requested meanwhile, or the problems that kept it from finishing. */
    record Outcome(boolean allUp, boolean stopRequested, List<String> problems) {
    }

    private final DevSettings settings;
    private final StopOnSignal stop;
    private final Console console;

    AwaitHealthy(DevSettings settings, StopOnSignal stop, Console console) {
        this.settings = settings;
        this.stop = stop;
        this.console = console;
    }

    Outcome await(List<ServiceProcess> services) throws InterruptedException {
        long startedAt = System.nanoTime();
        long deadline = startedAt + settings.startupTimeout().toNanos();
        Map<ServiceProcess, String> lastAnswers = new LinkedHashMap<>();
        List<ServiceProcess> waitingFor = new ArrayList<>(services);
        try (HealthProbe probe = new HealthProbe()) {
            while (true) {
                for (ServiceProcess service : waitingFor) {
                    if (!service.isAlive()) {
                        return failed(List.of(service.name() + " exited with code " + service.exitCode()
                                + " before it was UP (its output is above)"));
                    }
                }
                Map<ServiceProcess, CompletableFuture<HealthProbe.Health>> probes = new LinkedHashMap<>();
                waitingFor.forEach(service -> probes.put(service,
                        probe.probe(HealthProbe.healthUrl(settings.portOf(service.service())))));
                probes.forEach((service, health) -> {
                    lastAnswers.put(service, health.join().answer());
                    if (health.join().up()) {
                        waitingFor.remove(service);
                        console.line(DevSystem.LABEL, service.name() + " is UP, " + Elapsed.since(startedAt) + " after launch");
                    }
                });
                if (waitingFor.isEmpty()) {
                    return new Outcome(true, false, List.of());
                }
                if (System.nanoTime() - deadline > 0) {
                    return failed(waitingFor.stream()
                            .map(service -> service.name() + " is not UP after " + settings.startupTimeout().toSeconds()
                                    + " s; its last /health: " + lastAnswers.get(service))
                            .toList());
                }
                if (stop.await(POLL_INTERVAL)) {
                    return new Outcome(false, true, List.of());
                }
            }
        }
    }

    private static Outcome failed(List<String> problems) {
        return new Outcome(false, false, problems);
    }
}
