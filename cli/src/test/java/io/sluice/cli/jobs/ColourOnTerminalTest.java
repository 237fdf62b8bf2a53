package io.sluice.cli.jobs;

import static io.sluice.cli.jobs.JobStory.problem;
import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sluice.events.JobSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice watch} of a rejected job run as its own process, as people run it: on a terminal (a pseudo-terminal
 * that {@code script} gives it) the rejection is red; with NO_COLOR set, or piped, its output holds no escape code.
 */
class ColourOnTerminalTest extends JobCommandsTestBase {

    private static final String ESCAPE = "\u001b[";
    private static String jobId;

    @BeforeAll
    static void aRejectedJob() {
        jobId = aJobId();
        JobSpec spec = aJob().spec();
        storyOf(jobId).submitted(spec).rejected(null, problem("steps[0].name", "must not be empty"));
    }

    @Test
    void on_a_terminal_the_rejection_is_red() throws Exception {
        Result run = watch(true, Map.of());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("\u001b[1;31m", "JobRejected", "steps[0].name: must not be empty");
    }

    @Test
    void on_a_terminal_with_no_color_set_nothing_is_coloured() throws Exception {
        Result run = watch(true, Map.of("NO_COLOR", "1"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("JobRejected", "steps[0].name: must not be empty").doesNotContain(ESCAPE);
    }

    @Test
    void piped_nothing_is_coloured() throws Exception {
        Result run = watch(false, Map.of());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("JobRejected", "steps[0].name: must not be empty").doesNotContain(ESCAPE);
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs {@code sluice watch} in a JVM of its own, under a pseudo-terminal when {@code terminal}. */
    private static Result watch(boolean terminal, Map<String, String> environment) throws Exception {
        List<String> sluice = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.sluice.cli.Sluice"));
        sluice.addAll(List.of(on("watch", jobId)));
        List<String> command = terminal
                ? List.of("script", "--quiet", "--return", "--command", shellWords(sluice), "/dev/null")
                : sluice;
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().remove("NO_COLOR");
        builder.environment().put("TERM", "xterm");
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("sluice-watch", ".out");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(SluiceRun.DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("sluice watch ended").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        return new Result(process.exitValue(), printed);
    }

    private static String shellWords(List<String> words) {
        return String.join(" ", words.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
    }
}
