package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.store.isolation.process.LaunchFailedException;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Bad input fails the launch with a message a person can act on, and leaves nothing behind. */
class RuncLaunchFailureTest extends RuncTestSupport {

    @Test
    void a_missing_executable_is_named() {
        TestJob job = job("job-bad");
        assertLaunchFails(job.process("p", "/bin/nope").build(), "executable /bin/nope not found");
        assertLaunchFails(job.process("p", "nope-nope").build(), "executable nope-nope not found in PATH");
    }

    @Test
    void a_file_that_the_jobs_user_cannot_execute_is_refused() throws Exception {
        TestJob job = job("job-noexec");
        Files.createDirectories(job.dirs.data());
        Files.writeString(job.dirs.data().resolve("script"), "#!/bin/sh\necho hi\n");

        assertLaunchFails(job.process("p", "./script").build(), "is not an executable file for uid 65534");
    }

    @Test
    void a_missing_workdir_is_named() {
        TestJob job = job("job-wd");
        assertLaunchFails(job.process("p", "/bin/true").workdir("nope").build(),
                "workdir /sluice/data/nope does not exist");
        assertLaunchFails(job.process("p", "/bin/true").workdir("/opt/nope").build(),
                "workdir /opt/nope does not exist");
    }

    @Test
    void invalid_limits_are_explained() {
        TestJob job = job("job-limits");
        assertLaunchFails(job.process("p", "/bin/true").limits(new ProcessLimits(null, 0, null, null)).build(),
                "invalid limit: pids must be >= 2");
        assertLaunchFails(job.process("p", "/bin/true").limits(new ProcessLimits(1000L, null, null, null)).build(),
                "invalid limit: memoryBytes must be >= 4194304");
        assertLaunchFails(job.process("p", "/bin/true").limits(new ProcessLimits(null, null, 0, null)).build(),
                "invalid limit: openFiles must be between 16 and");
        assertLaunchFails(job.process("p", "/bin/true").limits(new ProcessLimits(null, null, null, 1)).build(),
                "invalid limit: cpuShares must be between 2 and 262144");
    }

    @Test
    void bad_names_are_explained() {
        TestJob job = job("job-names");
        assertLaunchFails(job.process("../escape", "/bin/true").build(), "invalid processName '../escape'");
        assertLaunchFails(job.process("p").build(), "argv is empty");
    }

    @Test
    void what_runc_refuses_is_reported_with_its_reason() throws Exception {
        isolation.close();
        isolation = new RuncIsolation(root.resolve("state"), RuncIsolation.DEFAULT_RUNC, Path.of("/nonexistent-tini"),
                settings);

        assertLaunchFails(job("job-runc").process("p", "/bin/true").build(),
                "a directory could not be mounted into the container");
    }

    private void assertLaunchFails(ProcessSpec spec, String message) {
        assertThatThrownBy(() -> isolation.launch(spec, OutputListener.DISCARD))
                .isInstanceOf(LaunchFailedException.class).hasMessageContaining(message);
        assertThat(isolation.listKnown()).isEmpty();
    }
}
