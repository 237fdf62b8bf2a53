package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.domain.ExitStatus;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.domain.WorkerDirectories;
import io.sluice.runner.domain.DirsView;
import io.sluice.runner.store.isolation.process.HostCommands;
import io.sluice.runner.store.isolation.process.HostUser;
import io.sluice.runner.store.isolation.process.JobUser;
import io.sluice.runner.store.isolation.process.JobUserAccess;
import io.sluice.runner.store.isolation.process.LaunchChecks;
import io.sluice.runner.store.isolation.process.LaunchFailedException;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.domain.ProcessEnvironment;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Isolation mode NONE, for a laptop: plain host processes as the runner's user, each in its own session and process
 * group, with the same stop ladder, log files, exit bookkeeping and adoption as {@code RuncIsolation}.
 *
 * <p>Not enforced: memory, pids and CPU limits, the read-only host, private process and host names. Only open files
 * ({@code ulimit -n}) applies. Processes see their directories at their host paths (SLUICE_* variables, TMPDIR).
 */
public final class UnisolatedProcesses extends ShimIsolation {

    private static final Logger LOG = LoggerFactory.getLogger(UnisolatedProcesses.class);
    private static final Duration EMPTY_TIMEOUT = Duration.ofSeconds(5);

    private final List<String> warnings;

    public UnisolatedProcesses(Path stateRoot) {
        this(stateRoot, NodeSettings.defaults());
    }

    public UnisolatedProcesses(Path stateRoot, NodeSettings settings) {
        this(stateRoot, stateRoot, settings);
    }

    /** @param runtimeRoot where the processes' state lives as long as they do (see {@code RuncIsolation}) */
    public UnisolatedProcesses(Path stateRoot, Path runtimeRoot, NodeSettings settings) {
        this(stateRoot, runtimeRoot, settings, List.of());
    }

    /**
     * @param warnings why the node runs without isolation, when it was not asked to (isolation AUTO on a host that
     *                 lacks something): said in every heartbeat instead of the plain warning of isolation NONE
     */
    public UnisolatedProcesses(Path stateRoot, Path runtimeRoot, NodeSettings settings, List<String> warnings) {
        super(stateRoot, runtimeRoot, settings);
        this.warnings = List.copyOf(warnings);
        LOG.warn("ISOLATION IS OFF: job processes run as plain host processes of uid {}, see the whole host and "
                + "have no memory, pids or CPU limits", HostUser.uid());
    }

    @Override
    public IsolationMode mode() {
        return IsolationMode.NONE;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public JobUser jobUser() {
        return JobUser.RUNNER;
    }

    @Override
    protected Prepared prepare(ProcessSpec spec, ProcessStateDir dir) throws LaunchFailedException, IOException {
        ProcessLimits limits = LaunchChecks.limits(spec.limits(), settings().defaultLimits());
        JobUserAccess.create(spec, -1, -1);
        WorkerDirectories dirs = spec.dirs();
        Path jobLogs = dirs.jobLogs(spec.jobId());
        DirsView view = new DirsView(dirs.data().toString(), dirs.tmp().toString(), jobLogs.toString(),
                dirs.store() != null ? dirs.store().toString() : null,
                dirs.resources() != null ? dirs.resources().toString() : null);
        String hostPath = Optional.ofNullable(System.getenv("PATH")).orElse(ProcessEnvironment.DEFAULT_PATH);
        Map<String, String> env = ProcessEnvironment.of(spec, view, hostPath);
        String cwd = LaunchChecks.workdir(spec.workdir(), view.data(), p -> Optional.of(Path.of(p)));
        LaunchChecks.executable(spec.argv().get(0), cwd, env.get("PATH"), p -> Optional.of(Path.of(p)),
                Files::isExecutable, "the runner's user");

        List<String> command = new ArrayList<>();
        if (limits.openFiles() != null) {
            command.addAll(List.of("/bin/sh", "-c", "ulimit -n \"$0\" && exec \"$@\"",
                    Integer.toString(limits.openFiles())));
        }
        command.addAll(spec.argv());
        Path stdout = jobLogs.resolve(spec.processName() + "." + OutputStream.STDOUT.logSuffix());
        Path stderr = jobLogs.resolve(spec.processName() + "." + OutputStream.STDERR.logSuffix());
        long[] starts = prepareLogs(stdout, stderr);
        ProcessRecord record = new ProcessRecord(spec.workerId(), spec.processName(), spec.jobId(),
                IsolationMode.NONE, dir.id(), null, stdout.toString(), stderr.toString(), starts[0],
                starts[1], Instant.now().toString(),
                spec.shutdownSignal() != null ? spec.shutdownSignal() : StopSignal.TERM,
                LaunchChecks.stopGrace(spec, settings()).toMillis());
        return new Prepared(record, command, env, Path.of(cwd));
    }

    @Override
    protected long awaitStarted(ProcessStateDir dir, ProcessRecord record, Process shim) {
        return shim.pid();
    }

    @Override
    protected long pidOf(ProcessRecord record, ProcessStateDir dir) {
        return dir.readShimPid().orElse(-1);
    }

    @Override
    protected void deliver(ProcessRecord record, ProcessStateDir dir, String signal) {
        dir.readShimPid().ifPresent(leader -> {
            HostCommands.Result result = ProcessGroups.signal(leader, signal);
            if (!result.ok()) {
                LOG.debug("kill -s {} -{}: {}", signal, leader, result.output());
            }
        });
    }

    @Override
    protected void killEverything(ProcessRecord record, ProcessStateDir dir) {
        dir.readShimPid().ifPresent(ProcessGroups::killMembers);
    }

    @Override
    protected ProcessExit collectExit(ProcessRecord record, ProcessStateDir dir, Integer status, Instant exitedAt) {
        dir.readShimPid().ifPresent(leader -> {
            long deadline = System.nanoTime() + EMPTY_TIMEOUT.toNanos();
            while (!ProcessGroups.members(leader).isEmpty() && System.nanoTime() < deadline) {
                ProcessGroups.killMembers(leader);
                LockSupport.parkNanos(1_000_000);
            }
        });
        return new ProcessExit(status, ExitStatus.signalOf(status), false, between(record.started(), exitedAt),
                null);
    }

    @Override
    protected void release(ProcessRecord record, ProcessStateDir dir) {
        // nothing is held besides the processes, which collectExit made sure are gone
    }

    @Override
    protected void abandon(ProcessRecord record, ProcessStateDir dir) {
        dir.readShimPid().ifPresent(leader -> {
            if (Shim.alive(dir)) {
                ProcessHandle.of(leader).ifPresent(ProcessHandle::destroyForcibly);
            }
            ProcessGroups.killMembers(leader);
        });
    }
}
