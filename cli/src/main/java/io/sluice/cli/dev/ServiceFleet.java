package io.sluice.cli.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.sluice.cli.CliFailure;
import io.sluice.cli.Console;

/**
 * The services of one {@code sluice dev} run: launched together, each configured through its environment, supervised
 * once all are UP (one that fails is started again after a {@link RestartBackoff} delay, and the console says so),
 * stopped together; no restart happens once a stop began.
 */
final class ServiceFleet {

    /** Starts a service's process; {@code onExit} hears when it exits without being asked to. */
    @FunctionalInterface
    interface Launcher {
        ServiceProcess launch(SluiceService service, Consumer<ServiceProcess> onExit);
    }

    /** Runs a task after a delay, off the caller's thread: the restarts' clock, which tests drive themselves. */
    @FunctionalInterface
    interface Scheduler {
        void schedule(Duration delay, Runnable task);
    }


    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<SluiceService, RestartBackoff> backoffs = new EnumMap<>(SluiceService.class);
    private final Launcher launcher;
    private final Scheduler scheduler;
    private final Console console;
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Guarded by {@code this}: set by the first stop or kill, after which nothing is launched again. */
    private boolean closing;
    private volatile boolean allUp;

    ServiceFleet(Launcher launcher, Scheduler scheduler, Console console) {
        this.launcher = launcher;
        this.scheduler = scheduler;
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
        DevResources resources = DevResources.prepare(data, settings, infrastructure);
        Launcher launcher = (service, onExit) -> {
            console.line(DevSystem.LABEL, "starting " + service.moduleName() + " on port " + settings.portOf(service));
            return ServiceProcess.launch(service, service.jar(settings.repository()), data.workingDirectoryOf(service),
                    environment(service, settings, infrastructure, resources, ownerKey), console, onExit);
        };
        ServiceFleet fleet = new ServiceFleet(launcher, restartThread(), console);
        fleet.start(settings.services());
        return fleet;
    }

    /** Launches each service once; if one cannot be launched, kills those that were and fails. */
    void start(List<SluiceService> toStart) {
        try {
            for (SluiceService service : toStart) {
                ServiceProcess started = launcher.launch(service, this::exitedOnItsOwn);
                synchronized (this) {
                    services.add(started);
                    backoffs.put(service, new RestartBackoff());
                }
            }
        } catch (RuntimeException failure) {
            kill();
            throw failure;
        }
    }

    /** The services' current processes (a restarted one's newest). */
    synchronized List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** From now on a service that exits is a crash of a running system, restarted, no longer a failed start. */
    void markAllUp() {
        allUp = true;
    }

    private void exitedOnItsOwn(ServiceProcess service) {
        RestartBackoff.Restart restart;
        synchronized (this) {
            if (closing) {
                return;
            }
            if (!allUp) {
                console.alert(service.name(), service.name() + " EXITED ON ITS OWN with exit code " + service.exitCode()
                        + " (its output is above); sluice dev cannot start the system without it");
                return;
            }
            restart = backoffs.get(service.service()).afterExit(service.exitCode(), service.upFor()).orElse(null);
        }
        if (restart == null) {
            console.alert(DevSystem.LABEL, service.name() + " exited with code " + service.exitCode() + " (stopped on purpose: "
                    + "exit 0, or SIGTERM, SIGINT or SIGHUP); not restarted; the other services keep running, Ctrl-C "
                    + "stops them");
            return;
        }
        console.alert(DevSystem.LABEL, service.name() + " exited with code " + service.exitCode() + "; restarting in "
                + restart.delay().toSeconds() + " s (restart " + restart.number() + ")");
        scheduler.schedule(restart.delay(), () -> relaunch(service));
    }

    /** Starts the service again in its place, unless a stop began meanwhile (the lock keeps the two apart). */
    private synchronized void relaunch(ServiceProcess exited) {
        if (closing) {
            return;
        }
        try {
            services.set(services.indexOf(exited), launcher.launch(exited.service(), this::exitedOnItsOwn));
        } catch (RuntimeException failure) {
            console.alert(DevSystem.LABEL, exited.name() + " could not be restarted: " + failure.getMessage()
                    + "; the other services keep running, Ctrl-C stops them");
        }
    }

    /** SIGTERM to all at once, then waits for each until one shared deadline; idempotent. */
    void stop(Duration grace) {
        if (stopped.getAndSet(true)) {
            return;
        }
        List<ServiceProcess> running = closeForGood();
        console.line(DevSystem.LABEL, "stopping " + running.size() + " services (SIGTERM, killed after " + grace.toSeconds() + " s)");
        running.forEach(ServiceProcess::requestStop);
        long deadline = System.nanoTime() + grace.toNanos();
        running.forEach(service -> service.awaitStop(deadline, grace));
    }

    boolean anyAlive() {
        return services().stream().anyMatch(ServiceProcess::isAlive);
    }

    /** SIGKILL to every service and its children, for a second Ctrl-C or a cli that is going away. */
    void kill() {
        closeForGood().forEach(ServiceProcess::kill);
    }

    /** No restart from now on; the processes as they are now. */
    private synchronized List<ServiceProcess> closeForGood() {
        closing = true;
        return List.copyOf(services);
    }

    /** The restarts' own thread, a daemon: a restart pending when the cli exits is simply dropped. */
    private static Scheduler restartThread() {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().daemon().name("restart-services").unstarted(task));
        return (delay, task) -> thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
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
            // The runner probes runc, tini, root and cgroups itself: isolated when all are there, else unisolated,
            // saying what is missing in its log and heartbeat; sluice dev prints that verdict (NodeVerdictWatch).
            environment.put("SLUICE_NODE_ISOLATION", "auto");
        }
        return environment;
    }
}
