package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.store.isolation.process.OutputCollector;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Launch is idempotent per process, and concurrent launches and stops of one process behave. */
class RuncConcurrencyTest extends RuncTestSupport {

    private static final String COUNTED = "echo started >> /sluice/data/starts; exec sleep 600";

    @Test
    void concurrent_launches_of_one_process_start_it_once() throws Exception {
        TestJob job = job("job-once");
        ProcessSpec spec = job.process("server", "/bin/sh", "-c", COUNTED).build();

        List<RunningProcess> launched = inParallel(8, () -> isolation.launch(spec, OutputListener.DISCARD));

        assertThat(launched).allSatisfy(p -> assertThat(p).isSameAs(launched.get(0)));
        Path starts = job.dirs.data().resolve("starts");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(starts));
        assertThat(Files.readAllLines(starts)).hasSize(1);
        assertThat(isolation.listKnown()).containsExactly(spec.key());
    }

    @Test
    void concurrent_launch_and_stop_end_with_one_stopped_process() throws Exception {
        TestJob job = job("job-race");
        ProcessSpec spec = job.process("server", "/bin/sh", "-c", COUNTED).build();

        List<CompletableFuture<ProcessExit>> stops = inParallel(6,
                () -> isolation.launch(spec, OutputListener.DISCARD).stop());

        ProcessExit exit = stops.get(0).get(30, TimeUnit.SECONDS);
        assertThat(stops).allSatisfy(s -> assertThat(s).isSameAs(stops.get(0)));
        assertThat(exit.signal()).isEqualTo("TERM");
        assertNoProcessLeft(spec.key());
        assertThat(isolation.launch(spec, OutputListener.DISCARD).exit()).as("known until forgotten")
                .isCompletedWithValue(exit);
    }

    @Test
    void a_forgotten_process_is_launched_afresh() throws Exception {
        TestJob job = job("job-again");
        ProcessSpec spec = job.process("task", "/bin/sh", "-c", "echo run; exit 5").build();
        RunningProcess first = isolation.launch(spec, OutputListener.DISCARD);
        assertThat(first.exit().get(30, TimeUnit.SECONDS).exitCode()).isEqualTo(5);

        isolation.forget(spec.workerId(), spec.processName());
        OutputCollector output = new OutputCollector();
        RunningProcess second = isolation.launch(spec, output);

        assertThat(second).isNotSameAs(first);
        assertThat(second.exit().get(30, TimeUnit.SECONDS).exitCode()).isEqualTo(5);
        assertThat(output.stdout()).as("only the new run's output").isEqualTo("run\n");
        assertThat(job.log("task", OutputStream.STDOUT)).hasContent("run\nrun");
    }

    @Test
    void a_running_process_cannot_be_forgotten() throws Exception {
        TestJob job = job("job-keep");
        ProcessSpec spec = job.process("server", "/bin/sh", "-c", COUNTED).build();
        isolation.launch(spec, OutputListener.DISCARD);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> isolation.forget(spec.workerId(), "server"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("still runs");
    }

    /** Runs {@code action} on {@code threads} threads released at once, and returns what each returned. */
    static <T> List<T> inParallel(int threads, java.util.concurrent.Callable<T> action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return action.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
