package io.sluice.runner.domain;

import java.nio.file.Path;

/**
 * Host directories of one worker (one job on this node).
 *
 * @param data      ephemeral data dir, writable; the default working directory
 * @param tmp       writable temporary dir, also seen at /tmp and /var/tmp; TMPDIR points at it
 * @param logs      the node's log root: a process's output goes to {@code logs/<jobId>/<process>.stdout.log} and
 *                  {@code .stderr.log}, and only {@code logs/<jobId>} is visible (writable) to the job
 * @param store     persistent store dir, writable; null when the job asks for none
 * @param resources metadata of the job's acquired resources, read-only to the job; null when none
 */
public record WorkerDirectories(Path data, Path tmp, Path logs, Path store, Path resources) {

    /** The job's own log directory, {@code logs/<jobId>}. */
    public Path jobLogs(String jobId) {
        return logs.resolve(jobId);
    }
}
