package io.sluice.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sluice.cli.Console;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's supervision with real child processes standing in for the services ({@code sleep}), killed with
 * {@code kill -9} and {@code kill -TERM} as a user or the kernel's OOM killer would.
 */
class ServiceFleetTest {

    private static final SluiceService SERVICE = SluiceService.JOB_SERVICE;

    @TempDir
    Path workingDirectory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8));
    private final AtomicInteger launches = new AtomicInteger();
    private final List<Long> pids = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService realClock = Executors.newSingleThreadScheduledExecutor();
    private ServiceFleet fleet;

    @AfterEach
    void killWhatIsLeft() {
        if (fleet != null) {
            fleet.kill();
        }
        realClock.shutdownNow();
    }

    @Test
    void a_service_killed_with_sigkill_is_restarted_with_growing_delays_and_reported() throws Exception {
        fleet = new ServiceFleet(this::launchSleep,
                (delay, task) -> realClock.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS), console);
        fleet.start(List.of(SERVICE));
        fleet.markAllUp();

        killMinus9(pids.get(0));
        awaitRunningAgainAs(2, "job-service exited with code 137; restarting in 1 s (restart 1)");
        killMinus9(pids.get(1));
        awaitRunningAgainAs(3, "job-service exited with code 137; restarting in 2 s (restart 2)");

        fleet.stop(Duration.ofSeconds(10));
        assertThat(fleet.services()).singleElement().matches(service -> !service.isAlive(), "stopped");
        assertThat(text()).contains("job-service stopped (exit code 143)");
        assertThat(launches).as("launches").hasValue(3);
    }

    @Test
    void a_restart_due_after_a_stop_began_starts_nothing() throws Exception {
        List<Runnable> due = new CopyOnWriteArrayList<>();
        fleet = new ServiceFleet(this::launchSleep, (delay, task) -> due.add(task), console);
        fleet.start(List.of(SERVICE));
        fleet.markAllUp();

        killMinus9(pids.get(0));
        await("the restart scheduled").atMost(Duration.ofSeconds(30)).until(() -> !due.isEmpty());
        fleet.stop(Duration.ofSeconds(10));
        due.forEach(Runnable::run);

        assertThat(launches).as("launches").hasValue(1);
        assertThat(text()).contains("job-service exited with code 137; restarting in 1 s (restart 1)",
                "job-service had already exited (exit code 137)");
        assertThat(fleet.anyAlive()).isFalse();
    }

    @Test
    void a_service_stopped_on_purpose_with_sigterm_stays_down() throws Exception {
        List<Runnable> due = new CopyOnWriteArrayList<>();
        fleet = new ServiceFleet(this::launchSleep, (delay, task) -> due.add(task), console);
        fleet.start(List.of(SERVICE));
        fleet.markAllUp();

        run("kill", "-TERM", String.valueOf(pids.get(0)));
        await("the report").atMost(Duration.ofSeconds(30)).until(() -> text().contains("not restarted"));

        assertThat(text()).contains("job-service exited with code 143 (stopped on purpose: exit 0, or SIGTERM, "
                + "SIGINT or SIGHUP); not restarted");
        assertThat(due).as("restarts scheduled").isEmpty();
    }

    @Test
    void a_service_that_dies_before_all_are_up_fails_the_start_instead_of_restarting() throws Exception {
        List<Runnable> due = new CopyOnWriteArrayList<>();
        fleet = new ServiceFleet(this::launchSleep, (delay, task) -> due.add(task), console);
        fleet.start(List.of(SERVICE));

        killMinus9(pids.get(0));
        await("the report").atMost(Duration.ofSeconds(30)).until(() -> text().contains("EXITED ON ITS OWN"));

        assertThat(text()).contains("job-service EXITED ON ITS OWN with exit code 137 (its output is above); sluice "
                + "dev cannot start the system without it");
        assertThat(due).as("restarts scheduled").isEmpty();
    }

    /** A stand-in service: a shell that says its pid and becomes {@code sleep}. */
    private ServiceProcess launchSleep(SluiceService service, java.util.function.Consumer<ServiceProcess> onExit) {
        launches.incrementAndGet();
        ServiceProcess process = ServiceProcess.launch(service, List.of("sh", "-c", "echo started; exec sleep 600"),
                workingDirectory, Map.of(), console, onExit);
        pids.add(process.pid());
        return process;
    }

    private void awaitRunningAgainAs(int launch, String report) {
        await("launch " + launch + " after: " + report).atMost(Duration.ofSeconds(30))
                .until(() -> launches.get() == launch && fleet.services().getFirst().isAlive());
        assertThat(text()).contains(report);
        assertThat(fleet.services().getFirst().pid()).isEqualTo(pids.get(launch - 1));
    }

    private static void killMinus9(long pid) throws IOException, InterruptedException {
        run("kill", "-9", String.valueOf(pid));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
