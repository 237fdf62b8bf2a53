package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.domain.ExitStatus;
import io.sluice.runner.domain.IsolationFacts;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.isolation.process.Availability;
import io.sluice.runner.domain.ContainerIds;
import io.sluice.runner.store.isolation.process.HostCommands;
import io.sluice.runner.store.isolation.process.HostUser;
import io.sluice.runner.store.isolation.process.JobUser;
import io.sluice.runner.store.isolation.process.JobLogDirectory;
import io.sluice.runner.store.isolation.process.JobUserAccess;
import io.sluice.runner.store.isolation.process.LaunchChecks;
import io.sluice.runner.store.isolation.process.LaunchFailedException;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.domain.ProcessEnvironment;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import io.sluice.runner.store.isolation.network.VethNetworks;
import io.sluice.runner.store.isolation.shim.Shim;
import io.sluice.runner.store.isolation.shim.ShimIsolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each process in its own runc container with tini as PID 1, following the node runtime contract in
 * node-runner/README.md.
 *
 * <p>What lives as long as the processes do is under the runtime root: {@code processes/<id>/} per process (bundle,
 * record, pid files, exit status) and {@code runc/} (runc's own state); under the state root are {@code rootfs/} (the
 * empty root shared by all containers) and the shim. Containers run in
 * cgroup {@code /<cgroupParent>/<jobId>/<id>}.
 */
public final class RuncIsolation extends ShimIsolation {

    private static final Logger LOG = LoggerFactory.getLogger(RuncIsolation.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EMPTY_TIMEOUT = Duration.ofSeconds(5);
    /**
     * runc forwards every signal it gets to the container, including the SIGURG that Go's runtime sends itself to
     * preempt goroutines; without this, tini passes them on to the job (and warns when they arrive as it exits).
     */
    private static final Map<String, String> RUNC_ENVIRONMENT = Map.of("PATH", ProcessEnvironment.DEFAULT_PATH,
            "GODEBUG", "asyncpreemptoff=1");
    /** Waiting for the pid file relies on inotify; this is only a safety net. */
    private static final Duration WAKE_UP_ANYWAY = Duration.ofMillis(50);

    private final Path tini;
    private final Path runcRoot;
    /**
     * One empty root file system for all containers: everything in it is a read-only mount point, and sharing it
     * spares runc creating a dozen mount points per launch.
     */
    private final Path rootfs;
    private final Runc runc;
    private final JobCgroups cgroups = JobCgroups.host();
    /** Without swap accounting runc refuses a swap limit; memory alone is then the limit. */
    private final boolean swapAccounting;
    private final CreationWatcher creations = new CreationWatcher();

    /** runc as Debian installs it, or the first one found in the usual places. */
    public static final Path DEFAULT_RUNC = firstExisting("runc", "/usr/sbin", "/usr/bin", "/usr/local/sbin",
            "/usr/local/bin");
    /** Debian's statically linked tini if present, else the dynamic one. */
    public static final Path DEFAULT_TINI = Files.isExecutable(Path.of("/usr/bin/tini-static"))
            ? Path.of("/usr/bin/tini-static") : Path.of("/usr/bin/tini");

    /** With {@link NodeSettings#defaults()}, everything under one root. */
    public RuncIsolation(Path stateRoot, Path runc, Path tini) {
        this(stateRoot, stateRoot, runc, tini, NodeSettings.defaults());
    }

    /** Everything under one root. */
    public RuncIsolation(Path stateRoot, Path runc, Path tini, NodeSettings settings) {
        this(stateRoot, stateRoot, runc, tini, settings);
    }

    /**
     * @param stateRoot   where the node keeps the shim and the shared root file system; one runner at a time
     * @param runtimeRoot where the processes' state and runc's root live as long as the processes do (prod: a
     *                    directory under /run, a tmpfs, as runc's own default root is)
     * @param runc        the runc binary, e.g. {@link #DEFAULT_RUNC}
     * @param tini        the tini binary, bind-mounted as the containers' init, e.g. {@link #DEFAULT_TINI}
     */
    public RuncIsolation(Path stateRoot, Path runtimeRoot, Path runc, Path tini, NodeSettings settings) {
        super(stateRoot, runtimeRoot, settings);
        this.tini = tini;
        this.runcRoot = runtimeRoot.resolve("runc");
        this.runc = new Runc(runc, runcRoot);
        this.rootfs = stateRoot.resolve("rootfs");
        this.swapAccounting = cgroups.swapLimitable(settings.cgroupParent());
        try {
            Files.createDirectories(rootfs);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + rootfs, e);
        }
    }

    /** Whether runc isolation can work here with the default runc and tini; the reason says what is missing. */
    public static Availability available() {
        return available(DEFAULT_RUNC, DEFAULT_TINI);
    }

    public static Availability available(Path runc, Path tini) {
        IsolationFacts.Verdict verdict = probe(runc, tini, NodeSettings.defaults().cgroupParent()).verdict();
        return verdict.isolated() ? Availability.yes()
                : Availability.no(verdict.reason() + ", or set the node's isolation to auto or none");
    }

    /**
     * What this host offers runc isolation: runc and tini, root, the tools of the shim and of the workers' networks,
     * and cgroups that can limit jobs under {@code cgroupParent} (which this creates, as runc would at the first
     * launch). The cgroups are probed as root only: without root nothing else matters yet.
     */
    public static IsolationFacts probe(Path runc, Path tini, String cgroupParent) {
        long euid = HostUser.euid();
        return new IsolationFacts(runc.toString(), Files.isExecutable(runc), tini.toString(),
                Files.isExecutable(tini), euid, Shim.setsidAvailable(), VethNetworks.installed("ip"),
                VethNetworks.installed("nft"), euid == 0 ? JobCgroups.host().prepareParent(cgroupParent) : null);
    }

    /** The cgroup hierarchy of this host: "v1", "hybrid", "v2" (or "none"). */
    public static String hostCgroupHierarchy() {
        return JobCgroups.host().hierarchy();
    }

    /** The cgroup hierarchy of this host ("v1", "hybrid", "v2") and where it is, for the runner's log at start. */
    public static String describeCgroups() {
        JobCgroups host = JobCgroups.host();
        return host.hierarchy() + ": " + host.describe();
    }

    @Override
    public String cgroupHierarchy() {
        return cgroups.hierarchy();
    }

    @Override
    public IsolationMode mode() {
        return IsolationMode.RUNC;
    }

    @Override
    public JobUser jobUser() {
        return new JobUser(settings().uid(), settings().gid());
    }

    @Override
    public void close() {
        super.close();
        creations.close();
    }

    /** pids.current of the process's container cgroup; empty once the cgroup is gone. */
    OptionalLong pidsCurrent(ProcessKey key) {
        return stateDirOf(key).readRecord().map(r -> cgroups.pidsCurrent(r.cgroupPath()))
                .orElse(OptionalLong.empty());
    }

    /** The cgroup path of a process (for operators and tests). */
    String cgroupPathOf(ProcessKey key) {
        return stateDirOf(key).readRecord().map(ProcessRecord::cgroupPath).orElse(null);
    }

    @Override
    protected Prepared prepare(ProcessSpec spec, ProcessStateDir dir) throws LaunchFailedException, IOException {
        NodeSettings settings = settings();
        ProcessLimits limits = LaunchChecks.limits(spec.limits(), settings.defaultLimits());
        JobUserAccess.create(spec, settings.uid(), settings.gid());
        if (settings.logQuotaBytes() > 0) {
            JobLogDirectory.mount(spec.dirs().jobLogs(spec.jobId()), settings.logQuotaBytes(), settings.uid(),
                    settings.gid());
        }
        ContainerLayout layout = ContainerLayout.of(spec, tini);
        Map<String, String> env = ProcessEnvironment.of(spec, layout.view(), ProcessEnvironment.DEFAULT_PATH);
        String cwd = LaunchChecks.workdir(spec.workdir(), ContainerLayout.DATA, layout::toHost);
        LaunchChecks.executable(spec.argv().get(0), cwd, env.get("PATH"), layout::toHost,
                file -> JobUserAccess.mayExecute(file, settings.uid(), settings.gid()), "uid " + settings.uid());

        String id = dir.id();
        String cgroupPath = "/" + settings.cgroupParent() + "/" + spec.jobId() + "/" + id;
        OciConfig.Inputs inputs = new OciConfig.Inputs(spec.argv(), env, cwd, settings.uid(), settings.gid(),
                ContainerIds.hostname(spec.jobId()), limits, cgroupPath, rootfs.toString(), swapAccounting,
                spec.networkNamespace() == null ? null : spec.networkNamespace().toString(), settings.hiddenPaths());
        Files.writeString(dir.bundle().resolve("config.json"), OciConfig.build(layout, inputs));

        Path jobLogs = spec.dirs().jobLogs(spec.jobId());
        Path stdout = jobLogs.resolve(spec.processName() + "." + OutputStream.STDOUT.logSuffix());
        Path stderr = jobLogs.resolve(spec.processName() + "." + OutputStream.STDERR.logSuffix());
        long[] starts = prepareLogs(stdout, stderr);
        if (Files.exists(runcRoot.resolve(id))) {
            runc.delete(id, true); // left by a record that was removed without runc knowing
        }
        ProcessRecord record = new ProcessRecord(spec.workerId(), spec.processName(), spec.jobId(),
                IsolationMode.RUNC, id, cgroupPath, stdout.toString(), stderr.toString(), starts[0], starts[1],
                Instant.now().toString(), spec.shutdownSignal() != null ? spec.shutdownSignal() : StopSignal.TERM,
                LaunchChecks.stopGrace(spec, settings).toMillis());
        List<String> command = runc.runCommand(dir.bundle(), dir.containerPidFile(), dir.runcLog(), id);
        return new Prepared(record, command, RUNC_ENVIRONMENT, dir.path());
    }

    @Override
    protected long awaitStarted(ProcessStateDir dir, ProcessRecord record, Process shim) throws LaunchFailedException {
        Thread waiter = Thread.currentThread();
        Runnable wake = () -> LockSupport.unpark(waiter);
        shim.onExit().thenRun(wake);
        try (CreationWatcher.Registration ignored = creations.watch(dir.path(), wake)) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (true) {
                OptionalLong pid = dir.readContainerPid();
                if (pid.isPresent()) {
                    return pid.getAsLong();
                }
                if (!shim.isAlive()) {
                    pid = dir.readContainerPid();
                    if (pid.isPresent()) {
                        return pid.getAsLong();
                    }
                    throw new LaunchFailedException(RuncErrors.explain(dir, record));
                }
                if (System.nanoTime() > deadline) {
                    shim.destroyForcibly();
                    throw new LaunchFailedException("runc did not start the container within " + START_TIMEOUT
                            + "; see " + dir.runcLog());
                }
                LockSupport.parkNanos(WAKE_UP_ANYWAY.toNanos());
            }
        } catch (IOException e) {
            throw new LaunchFailedException("cannot watch " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected long pidOf(ProcessRecord record, ProcessStateDir dir) {
        return dir.readContainerPid().orElse(-1);
    }

    @Override
    protected void deliver(ProcessRecord record, ProcessStateDir dir, String signal) {
        HostCommands.Result result = runc.kill(record.containerId(), signal, false);
        if (!result.ok()) {
            LOG.debug("runc kill {} {}: {}", record.containerId(), signal, result.output());
        }
    }

    @Override
    protected void killEverything(ProcessRecord record, ProcessStateDir dir) {
        HostCommands.Result result = runc.kill(record.containerId(), "KILL", true);
        if (!result.ok()) {
            LOG.debug("runc kill --all {} KILL: {}", record.containerId(), result.output());
        }
    }

    @Override
    protected ProcessExit collectExit(ProcessRecord record, ProcessStateDir dir, Integer status, Instant exitedAt) {
        awaitEmpty(record);
        return new ProcessExit(status, ExitStatus.signalOf(status), cgroups.oomKilled(record.cgroupPath()),
                between(record.started(), exitedAt), cgroups.peakMemory(record.cgroupPath()));
    }

    /**
     * Does what {@code runc delete} does for a stopped container (remove its cgroup and runc's state dir) without
     * starting runc, which costs about 10 ms of CPU; falls back to runc when something is left.
     */
    @Override
    protected void release(ProcessRecord record, ProcessStateDir dir) {
        if (!removeCgroup(record.cgroupPath()) || !deleteRuncState(record.containerId())) {
            HostCommands.Result result = runc.delete(record.containerId(), true);
            if (!result.ok()) {
                LOG.debug("runc delete {}: {}", record.containerId(), result.output());
            }
        }
        cgroups.removeIfEmpty(jobCgroup(record));
    }

    /** The kernel may answer EBUSY for a moment after the last process of a cgroup is gone: retry briefly. */
    private boolean removeCgroup(String cgroupPath) {
        for (int attempt = 0; attempt < 50; attempt++) {
            if (cgroups.remove(cgroupPath)) {
                return true;
            }
            LockSupport.parkNanos(2_000_000);
        }
        LOG.warn("cgroup {} is still busy after 100 ms", cgroupPath);
        return false;
    }

    @Override
    protected void abandon(ProcessRecord record, ProcessStateDir dir) {
        runc.kill(record.containerId(), "KILL", true);
        awaitEmpty(record);
        release(record, dir);
    }

    /**
     * When tini dies the kernel kills the rest of the PID namespace, but they may take a moment to go; anything still
     * there after that is killed by pid, so that an exit always means "nothing of it is left".
     */
    private void awaitEmpty(ProcessRecord record) {
        long deadline = System.nanoTime() + EMPTY_TIMEOUT.toNanos();
        boolean killed = false;
        long pause = 50_000; // the last tasks of a cgroup usually leave within microseconds: look again soon
        while (cgroups.pidsCurrent(record.cgroupPath()).orElse(0) > 0) {
            if (!killed && System.nanoTime() > deadline - EMPTY_TIMEOUT.toNanos() / 2) {
                LOG.warn("processes of {} outlived its init: killing them", record.key());
                runc.kill(record.containerId(), "KILL", true);
                cgroups.kill(record.cgroupPath());
                cgroups.processes(record.cgroupPath()).forEach(pid ->
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                killed = true;
            }
            if (System.nanoTime() > deadline) {
                LOG.error("processes of {} survive SIGKILL in cgroup {}", record.key(), record.cgroupPath());
                return;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 1_000_000);
        }
    }

    private boolean deleteRuncState(String containerId) {
        Path state = runcRoot.resolve(containerId);
        try {
            if (Files.isDirectory(state)) {
                new ProcessStateDir(state).delete();
            }
            return !Files.exists(state);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String jobCgroup(ProcessRecord record) {
        return "/" + settings().cgroupParent() + "/" + record.jobId();
    }

    private static Path firstExisting(String name, String... dirs) {
        for (String dir : dirs) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return Path.of(dirs[0], name);
    }
}
