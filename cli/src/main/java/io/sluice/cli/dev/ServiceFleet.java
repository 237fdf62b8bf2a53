package io.sluice.cli.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sluice.cli.CliFailure;
import io.sluice.cli.Console;

/** The services of one {@code sluice dev} run: launched together, each configured through its environment, stopped together. */
final class ServiceFleet {

    private final List<ServiceProcess> services;
    private final Console console;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean allUp;

    private ServiceFleet(List<ServiceProcess> services, Console console) {
        this.services = services;
        this.console = console;
    }

    /** Fails before anything starts if a jar is missing, naming every missing one. */
    static void requireJars(DevSettings settings) {
        List<String> missing = settings.services().stream()
                .map(service -> service.jar(settings.repository()))
                .filter(jar -> !Files.isRegularFile(jar))
                .map(Path::toString)
                .toList();
        if (!missing.isEmpty()) {
            throw new CliFailure("service jar missing: " + String.join(", ", missing) + "\n  run ./mvnw package -DskipTests "
                    + "first in " + settings.repository() + " (./sluice does it for you), or point --repo-dir at a built checkout");
        }
    }

    /** Fails before anything starts if a service's port is taken. */
    static void requirePortsFree(DevSettings settings) {
        for (SluiceService service : settings.services()) {
            FreePorts.requireFree(settings.portOf(service), service.moduleName(), "--base-port");
        }
    }

    static ServiceFleet launch(DevSettings settings, DevInfrastructure infrastructure, DataDirectory data,
                               DevOwnerKey ownerKey, Console console) {
        List<ServiceProcess> started = new ArrayList<>();
        ServiceFleet fleet = new ServiceFleet(started, console);
        DevResources resources = DevResources.prepare(data, settings, infrastructure);
        try {
            for (SluiceService service : settings.services()) {
                console.line("sluice", "starting " + service.moduleName() + " on port " + settings.portOf(service));
                started.add(ServiceProcess.launch(service, service.jar(settings.repository()),
                        data.workingDirectoryOf(service),
                        environment(service, settings, infrastructure, resources, ownerKey), console,
                        fleet::reportUnexpectedExit));
            }
        } catch (RuntimeException failure) {
            fleet.kill();
            throw failure;
        }
        return fleet;
    }

    List<ServiceProcess> services() {
        return services;
    }

    /** From now on a service that exits is a crash of a running system, no longer a failed start. */
    void markAllUp() {
        allUp = true;
    }

    private void reportUnexpectedExit(ServiceProcess service) {
        String consequence = allUp
                ? "the other services keep running; Ctrl-C stops them"
                : "sluice dev cannot start the system without it";
        console.alert(service.name(), service.name() + " EXITED ON ITS OWN with exit code " + service.exitCode()
                + " (its output is above); " + consequence);
    }

    /** SIGTERM to all at once, then waits for each until one shared deadline; idempotent. */
    void stop(Duration grace) {
        if (stopped.getAndSet(true)) {
            return;
        }
        console.line("sluice", "stopping " + services.size() + " services (SIGTERM, killed after " + grace.toSeconds() + " s)");
        services.forEach(ServiceProcess::requestStop);
        long deadline = System.nanoTime() + grace.toNanos();
        services.forEach(service -> service.awaitStop(deadline, grace));
    }

    boolean anyAlive() {
        return services.stream().anyMatch(ServiceProcess::isAlive);
    }

    /** SIGKILL to every service and its children, for a second Ctrl-C or a cli that is going away. */
    void kill() {
        services.forEach(ServiceProcess::kill);
    }


    private static Map<String, String> environment(SluiceService service, DevSettings settings,
                                                   DevInfrastructure infrastructure, DevResources resources,
                                                   DevOwnerKey ownerKey) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MICRONAUT_SERVER_PORT", String.valueOf(settings.portOf(service)));
        environment.put("SLUICE_KAFKA_BOOTSTRAP_SERVERS", infrastructure.bootstrapServers());
        if (infrastructure.kafkaSecured()) {
            environment.putAll(infrastructure.credentials().kafkaEnvironment(service));
        }
        if (service.needsDatabase()) {
            environment.put("DATASOURCES_DEFAULT_URL", infrastructure.jdbcUrl());
            environment.put("DATASOURCES_DEFAULT_USERNAME", infrastructure.username());
            environment.put("DATASOURCES_DEFAULT_PASSWORD", infrastructure.password());
        }
        if (service == SluiceService.RESOURCE_WELL || service == SluiceService.NODE_RUNNER) {
            environment.putAll(resources.secretKeyEnvironment());
        }
        if (service == SluiceService.RESOURCE_WELL) {
            environment.put("MICRONAUT_CONFIG_FILES", resources.wellTypes().toString());
        }
        if (service == SluiceService.JOB_SERVICE) {
            environment.put("MICRONAUT_CONFIG_FILES", ownerKey.jobServiceSettings().toString());
        }
        if (service == SluiceService.NODE_RUNNER) {
            // Jobs reach the host only here: the scratch databases' server, not the services' own.
            environment.put("SLUICE_NODE_HOST_PORTS_FOR_JOBS", String.valueOf(settings.scratchPostgresPort()));
        }
        if (service == SluiceService.NODE_RUNNER) {
            // The runner probes runc, tini, root and cgroups itself: isolated when all are there, else unisolated,
            // saying what is missing in its log and heartbeat; sluice dev prints that verdict (NodeVerdictWatch).
            environment.put("SLUICE_NODE_ISOLATION", "auto");
        }
        return environment;
    }
}
