package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A job looks for the control plane's credentials everywhere it can: its environment, every process's environment
 * it can read, and every file it can read outside the host's program directories (/usr, /bin, /sbin, /lib, /lib64),
 * /proc, /sys, /dev and its own log directory (where this output goes): so the host's /etc through its read-only
 * bind, its own directories and resources. It
 * finds none: not the services' broker passwords, the secret key, PostgreSQL's password, nor a credential the
 * operator left world-readable in a configuration directory the node runner hides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialHuntE2ETest {

    /** Prints what the job can see: its environment, readable processes' environments, readable files under 1 MB. */
    private static final String HUNT = String.join("\n",
            "echo '== env'; env",
            "echo '== environ'; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < \"$f\" 2>/dev/null; done",
            "echo '== files'",
            "find / \\( -path /proc -o -path /sys -o -path /dev -o -path /usr -o -path /bin -o -path /sbin -o -path /lib "
                    + "-o -path /lib64 -o -path /sluice/logs \\) -prune "
                    + "-o -type f -readable -size -1024k -print0 2>/dev/null | xargs -0 cat 2>/dev/null",
            "echo '== end'");

    private Path hiddenConfiguration;
    private String leftWorldReadable;
    private SluiceSystem sluice;

    @BeforeAll
    void start() throws Exception {
        // A node's configuration directory under /etc, as an operator would lay it out, with a credential left
        // world-readable: the job sees the host's /etc, so only the runner hiding the directory keeps it out.
        leftWorldReadable = UUID.randomUUID().toString();
        hiddenConfiguration = Files.createDirectories(Path.of("/etc", "sluice-e2e-" + UUID.randomUUID()));
        Path file = Files.writeString(hiddenConfiguration.resolve("node-runner.properties"),
                "sluice.secrets.keys.prod=" + leftWorldReadable + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        sluice = SluiceSystem.secured("hunt", 1, Map.of("sluice.well.types.lab.provisioner", "semaphore"),
                Map.of("sluice.node.hidden-paths", "/etc/sluice," + hiddenConfiguration));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (sluice != null) {
                sluice.close();
            }
        } finally {
            Files.deleteIfExists(hiddenConfiguration.resolve("node-runner.properties"));
            Files.deleteIfExists(hiddenConfiguration);
        }
    }

    @Test
    void a_job_finds_no_credential_of_the_control_plane_in_its_view_of_the_machine() {
        sluice.submit("hunt", aJob().withResources("lab").withSteps(aScript("hunt", HUNT)).spec());

        JobCleanedUp cleaned = sluice.bus.await(Topic.JOB_EVENTS, "hunt", JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).as(() -> sluice.bus.payloads(Topic.JOB_EVENTS, "hunt", JobFinished.class)
                + "\nstderr: " + sluice.output("hunt", "hunt", "STDERR")).isEqualTo(JobOutcome.SUCCEEDED);
        await().atMost(EventHarness.DEADLINE).until(() -> sluice.output("hunt", "hunt", "STDOUT").contains("== end"));
        String seen = sluice.output("hunt", "hunt", "STDOUT");

        // The hunt really looked: the host's /etc, the job's own environment and its resource are in what it saw.
        assertThat(seen).contains("root:x:0:0:", "SLUICE_RESOURCES_DIR=", "== environ");
        List<String> credentials = new ArrayList<>(sluice.serviceCredentials());
        credentials.add(leftWorldReadable);
        assertThat(credentials).hasSizeGreaterThan(5);
        for (String credential : credentials) {
            assertThat(seen).as("a credential of the control plane").doesNotContain(credential);
        }
        // Without the runner hiding it, the job would have read it: the directory is there on the host.
        assertThat(hiddenConfiguration.resolve("node-runner.properties")).content().contains(leftWorldReadable);
    }
}
