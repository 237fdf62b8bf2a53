package io.sluice.runner.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tombstones of destroyed workers are kept while a command could still name them, then pruned. */
class WorkerStoreTest {

    @TempDir
    Path stateDir;

    @Test
    void tombstones_older_than_the_cut_off_are_pruned_and_the_others_kept() throws Exception {
        WorkerStore store = new WorkerStore(stateDir);
        Instant now = Instant.now();
        destroy(store, "worker-long-ago", now.minus(Duration.ofDays(9)));
        destroy(store, "worker-yesterday", now.minus(Duration.ofDays(1)));
        assertThat(store.wasDestroyed("worker-long-ago")).isTrue();

        assertThat(store.pruneTombstones(now.minus(Duration.ofDays(8)))).isEqualTo(1);

        assertThat(store.wasDestroyed("worker-long-ago")).isFalse();
        assertThat(store.wasDestroyed("worker-yesterday")).isTrue();
        assertThat(store.pruneTombstones(now.minus(Duration.ofDays(8)))).isZero();
    }

    private void destroy(WorkerStore store, String workerId, Instant at) throws Exception {
        WorkerStore.Worker worker = store.layOut(workerId, "job-of-" + workerId, "owner", null);
        store.save(worker);
        store.destroyed(worker);
        Files.setLastModifiedTime(stateDir.resolve("destroyed-workers").resolve(workerId), FileTime.from(at));
    }
}
