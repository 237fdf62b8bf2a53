package io.sluice.runner.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tombstones of destroyed workers are kept while a command could still name them, then pruned; so are the logs of
 * jobs that left the node, once nobody wrote them for the retention.
 */
class WorkerRecordsTest {

    @TempDir
    Path stateDir;

    @Test
    void tombstones_older_than_the_cut_off_are_pruned_and_the_others_kept() throws Exception {
        WorkerRecords store = new WorkerRecords(stateDir);
        Instant now = Instant.now();
        destroy(store, "worker-long-ago", now.minus(Duration.ofDays(9)));
        destroy(store, "worker-yesterday", now.minus(Duration.ofDays(1)));
        assertThat(store.wasDestroyed("worker-long-ago")).isTrue();

        assertThat(store.pruneTombstones(now.minus(Duration.ofDays(8)))).isEqualTo(1);

        assertThat(store.wasDestroyed("worker-long-ago")).isFalse();
        assertThat(store.wasDestroyed("worker-yesterday")).isTrue();
        assertThat(store.pruneTombstones(now.minus(Duration.ofDays(8)))).isZero();
    }

    @Test
    void logs_of_jobs_without_a_worker_here_are_pruned_once_untouched_for_the_retention() throws Exception {
        WorkerRecords store = new WorkerRecords(stateDir);
        Instant now = Instant.now();
        Instant cutOff = now.minus(Duration.ofDays(7));
        writeLog(store, "job-gone-long-ago", "build.stdout.log", now.minus(Duration.ofDays(10)));
        writeLog(store, "job-gone-yesterday", "build.stdout.log", now.minus(Duration.ofDays(1)));
        // Its first step's log is old, its second one's recent: the job's logs are as old as the newest.
        writeLog(store, "job-with-a-recent-step", "build.stdout.log", now.minus(Duration.ofDays(10)));
        writeLog(store, "job-with-a-recent-step", "test.stdout.log", now.minus(Duration.ofHours(1)));
        Files.setLastModifiedTime(store.logs().resolve("job-with-a-recent-step"),
                FileTime.from(cutOff.minusSeconds(1)));
        // A job whose worker still lives here keeps its logs however old they are (a long quiet step, say).
        store.save(store.layOut("worker-running", "job-still-here", "owner", null));
        writeLog(store, "job-still-here", "build.stdout.log", now.minus(Duration.ofDays(30)));

        assertThat(store.pruneJobLogs(cutOff)).isEqualTo(1);

        assertThat(store.logs().resolve("job-gone-long-ago")).doesNotExist();
        assertThat(store.logs().resolve("job-gone-yesterday").resolve("build.stdout.log")).exists();
        assertThat(store.logs().resolve("job-with-a-recent-step").resolve("build.stdout.log")).exists();
        assertThat(store.logs().resolve("job-still-here").resolve("build.stdout.log")).exists();
        assertThat(store.pruneJobLogs(cutOff)).isZero();
    }

    private static void writeLog(WorkerRecords store, String jobId, String file, Instant at) throws Exception {
        Path dir = Files.createDirectories(store.logs().resolve(jobId));
        Path log = Files.writeString(dir.resolve(file), "a line\n");
        Files.setLastModifiedTime(log, FileTime.from(at));
        Files.setLastModifiedTime(dir, FileTime.from(at));
    }

    private void destroy(WorkerRecords store, String workerId, Instant at) throws Exception {
        WorkerRecords.Worker worker = store.layOut(workerId, "job-of-" + workerId, "owner", null);
        store.save(worker);
        store.destroyed(worker);
        Files.setLastModifiedTime(stateDir.resolve("destroyed-workers").resolve(workerId), FileTime.from(at));
    }
}
