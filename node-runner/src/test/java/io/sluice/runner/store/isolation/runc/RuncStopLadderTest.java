package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.isolation.process.OutputCollector;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stop ladder: shutdown signal, grace, SIGQUIT, short grace, SIGKILL of everything; nothing survives it. */
class RuncStopLadderTest extends RuncTestSupport {

    private static final String LOOP = "echo ready; while :; do sleep 0.05; done";

    @Test
    void term_stops_an_ordinary_process_at_once() throws Exception {
        RunningProcess process = launchReady(job("job-term").process("server", "/bin/sh", "-c", LOOP)
                .grace(Duration.ofSeconds(20)));

        long start = System.nanoTime();
        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(exit.signal()).isEqualTo("TERM");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertNoProcessLeft(process.key());
    }

    @Test
    void a_process_ignoring_term_gets_quit_after_the_grace_and_dies() throws Exception {
        OutputCollector output = new OutputCollector();
        RunningProcess process = launchReady(job("job-quit").process("stubborn", "/bin/sh", "-c",
                "trap '' TERM; trap 'echo got-QUIT; exit 3' QUIT; " + LOOP).grace(Duration.ofSeconds(1)), output);

        long start = System.nanoTime();
        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(output.stdout()).contains("got-QUIT");
        assertThat(exit.exitCode()).isEqualTo(3);
        assertNoProcessLeft(process.key());
    }

    @Test
    void a_process_ignoring_term_and_quit_is_killed() throws Exception {
        RunningProcess process = launchReady(job("job-kill").process("deaf", "/bin/sh", "-c",
                "trap '' TERM QUIT; " + LOOP).grace(Duration.ofMillis(300)));

        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(exit.signal()).isEqualTo("KILL");
        assertNoProcessLeft(process.key());
    }

    @Test
    void int_is_sent_when_the_job_asks_for_it() throws Exception {
        OutputCollector output = new OutputCollector();
        RunningProcess process = launchReady(job("job-int").process("gentle", "/bin/sh", "-c",
                "trap 'echo got-INT; exit 0' INT; trap 'echo got-TERM; exit 1' TERM; " + LOOP)
                .signal(StopSignal.INT).grace(Duration.ofSeconds(20)), output);

        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(exit.exitCode()).isZero();
        assertThat(output.stdout()).contains("got-INT").doesNotContain("got-TERM");
    }

    @Test
    void a_stop_may_ask_for_another_signal_than_the_launch_gave() throws Exception {
        OutputCollector output = new OutputCollector();
        RunningProcess process = launchReady(job("job-int-later").process("gentle", "/bin/sh", "-c",
                "trap 'echo got-INT; exit 0' INT; trap 'echo got-TERM; exit 1' TERM; " + LOOP)
                .signal(StopSignal.TERM).grace(Duration.ofSeconds(20)), output);

        ProcessExit exit = process.stop(StopSignal.INT, null).get(30, TimeUnit.SECONDS);

        assertThat(exit.exitCode()).isZero();
        assertThat(output.stdout()).contains("got-INT").doesNotContain("got-TERM");
    }

    @Test
    void a_stop_may_shorten_the_grace_and_later_stops_join_the_first() throws Exception {
        OutputCollector output = new OutputCollector();
        RunningProcess process = launchReady(job("job-hurry").process("stubborn", "/bin/sh", "-c",
                "trap '' TERM; trap 'echo got-QUIT; exit 3' QUIT; " + LOOP).grace(Duration.ofMinutes(10)), output);

        CompletableFuture<ProcessExit> stopping = process.stop(null, Duration.ofMillis(200));
        CompletableFuture<ProcessExit> later = process.stop(StopSignal.INT, Duration.ofMinutes(10));
        // With the launch's grace of 10 minutes, QUIT would come far later than this deadline.
        ProcessExit exit = stopping.get(30, TimeUnit.SECONDS);

        assertThat(later).isSameAs(stopping);
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(output.stdout()).contains("got-QUIT");
        assertNoProcessLeft(process.key());
    }

    @Test
    void children_ignoring_term_and_processes_forked_during_the_shutdown_do_not_survive() throws Exception {
        String script = "sh -c 'trap \"\" TERM; exec sleep 600' & "
                + "trap 'setsid sh -c \"trap \\\"\\\" TERM QUIT; sleep 600\" & sh -c \"trap \\\"\\\" TERM; sleep 600\" & "
                + "echo forked' TERM; " + LOOP;
        OutputCollector output = new OutputCollector();
        RunningProcess process = launchReady(job("job-forks").process("spawner", "/bin/sh", "-c", script)
                .grace(Duration.ofMillis(500)), output);

        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(output.stdout()).contains("forked");
        assertThat(exit.lost()).isFalse();
        assertNoProcessLeft(process.key());
    }

    @Test
    void stop_is_idempotent_and_answered_after_the_exit_too() throws Exception {
        RunningProcess process = launchReady(job("job-stops").process("server", "/bin/sh", "-c", LOOP));

        CompletableFuture<ProcessExit> first = process.stop();
        CompletableFuture<ProcessExit> second = process.stop();
        ProcessExit exit = first.get(30, TimeUnit.SECONDS);

        assertThat(second).isSameAs(first);
        assertThat(process.stop().get(1, TimeUnit.SECONDS)).isEqualTo(exit);
        assertThat(process.exit().get()).isEqualTo(exit);
    }

    @Test
    void stopping_a_process_that_already_exited_reports_its_exit() throws Exception {
        RunningProcess process = isolation.launch(job("job-done").process("quick", "/bin/sh", "-c", "exit 4")
                .build(), OutputListener.DISCARD);
        process.exit().get(30, TimeUnit.SECONDS);

        assertThat(process.stop().get(5, TimeUnit.SECONDS).exitCode()).isEqualTo(4);
    }

    private RunningProcess launchReady(TestJob.Spec spec) throws Exception {
        return launchReady(spec, new OutputCollector());
    }

    private RunningProcess launchReady(TestJob.Spec spec, OutputCollector output) throws Exception {
        RunningProcess process = isolation.launch(spec.build(), output);
        await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("ready"));
        return process;
    }
}
