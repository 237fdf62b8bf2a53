package io.sluice.runner.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What to run for one process of a job, and how.
 *
 * @param jobId          the job, used for the hostname, the log directory and the cgroup path
 * @param workerId       the worker on this node; with {@code processName} the process's identity ({@link ProcessKey})
 * @param processName    the process's name in the job; letters, digits, '.', '_' and '-'
 * @param argv           the program and its arguments; a program without '/' is looked up in PATH
 * @param env            extra environment variables (TMPDIR and the SLUICE_* variables are set by the node)
 * @param workdir        the working directory as the process sees it; null means the data dir
 * @param limits         limits; null or null fields take the node's defaults
 * @param shutdownSignal the first signal of the stop ladder; null means TERM
 * @param stopGrace      how long the shutdown signal is given before SIGQUIT; null means the node's default (20 s)
 * @param dirs           the worker's host directories
 * @param networkNamespace the network namespace the process joins (its worker's own); null means the host's network
 */
public record ProcessSpec(
        String jobId,
        String workerId,
        String processName,
        List<String> argv,
        Map<String, String> env,
        String workdir,
        ProcessLimits limits,
        StopSignal shutdownSignal,
        Duration stopGrace,
        WorkerDirectories dirs,
        Path networkNamespace) {

    public ProcessSpec {
        argv = argv == null ? List.of() : List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** The key this spec's process is known by. */
    public ProcessKey key() {
        return new ProcessKey(workerId, processName);
    }
}
