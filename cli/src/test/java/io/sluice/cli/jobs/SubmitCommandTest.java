package io.sluice.cli.jobs;

import static io.sluice.cli.jobs.JobStory.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sluice.events.InputFile;
import io.sluice.events.JobSpec;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ResourceRequest;
import io.sluice.events.ShutdownSignal;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.schemas.EventCodec;
import org.apache.kafka.common.record.TimestampType;
import io.sluice.schemas.Topic;
import io.sluice.testing.TestOwners;
import io.sluice.schemas.signing.RequestSignature;
import java.nio.charset.StandardCharsets;
import io.sluice.testing.Jobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitCommandTest extends JobCommandsTestBase {

    @Test
    void detached_it_sends_the_job_built_from_the_options_and_prints_only_its_id() {
        String jobId = aJobId();

        SluiceRun submit = SluiceRun.run(on("submit", "--detach", "--job-id", jobId, "--owner", "alice",
                "--name", "nightly", "--target", "linux-large",
                "--step", "build=make all", "--step", "test=make TEST=1 test",
                "--env", "CI=true", "--env", "EMPTY=", "--label", "team=infra",
                "--run-timeout", "30m", "--queue-timeout", "90s", "--retries-on-node-loss", "2",
                "--stop-grace", "5s", "--shutdown-signal", "INT"));

        assertThat(submit.awaitExit()).as(submit.err()).isZero();
        assertThat(submit.out()).isEqualTo(jobId + System.lineSeparator());
        JobSubmitted submitted = harness.await(Topic.JOB_REQUESTS, jobId, JobSubmitted.class);
        assertThat(submitted.getJobId()).isEqualTo(jobId);
        assertThat(submitted.getSpec()).isEqualTo(JobSpec.newBuilder()
                .setOwner("alice").setName("nightly").setTarget("linux-large").setResources(List.of())
                .setSteps(List.of(
                        StepSpec.newBuilder(script("build", "make all", 5_000, ShutdownSignal.INT))
                                .setEnv(Map.of("CI", "true", "EMPTY", "")).build(),
                        StepSpec.newBuilder(script("test", "make TEST=1 test", 5_000, ShutdownSignal.INT))
                                .setEnv(Map.of("CI", "true", "EMPTY", "")).build()))
                .setInputs(List.of()).setRunTimeoutMillis(1_800_000L).setQueueTimeoutMillis(90_000L)
                .setRetriesOnNodeLoss(2).setPersistentStore(null).setLabels(Map.of("team", "infra"))
                .build());
    }

    @Test
    void with_few_options_the_job_gets_a_fresh_readable_id_and_the_defaults() {
        SluiceRun submit = SluiceRun.run(on("submit", "--detach", "--step", "hello=echo hello"));

        assertThat(submit.awaitExit()).as(submit.err()).isZero();
        String jobId = submit.out().trim();
        assertThat(jobId).matches("job-[0-9a-hjkmnp-tv-z]{26}");
        JobSpec spec = harness.await(Topic.JOB_REQUESTS, jobId, JobSubmitted.class).getSpec();
        assertThat(spec.getOwner()).isEqualTo(CurrentUser.name());
        assertThat(spec.getName()).isEqualTo("hello");
        assertThat(spec.getTarget()).isEqualTo("linux");
        assertThat(spec.getRunTimeoutMillis()).isNull();
        assertThat(spec.getRetriesOnNodeLoss()).isZero();
        assertThat(spec.getSteps()).containsExactly(script("hello", "echo hello", 20_000, ShutdownSignal.TERM));
    }

    @Test
    void a_job_file_gives_the_whole_spec_and_the_command_line_overrides_it(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("job.json");
        Files.writeString(file, """
                {
                  "owner": "carol",
                  "name": "etl",
                  "target": "linux",
                  "resources": [{"type": "postgres-scratch", "parameters": {"size": "small"}}],
                  "steps": [
                    {"name": "load", "argv": ["/usr/bin/load", "--all"], "env": {"MODE": "full"},
                     "workdir": "/data", "limits": {"memoryBytes": "512m", "pids": 64, "openFiles": 1024,
                     "cpuShares": 512}, "capabilities": ["CAP_NET_BIND_SERVICE"], "shutdownSignal": "INT",
                     "stopGrace": "1m"},
                    {"name": "check", "script": "test -s out.csv"}
                  ],
                  "inputs": [{"sha256": "%s", "fetchUri": "https://example.org/load", "path": "bin/load",
                              "executable": true, "sizeBytes": 1234}],
                  "runTimeout": "1h30m",
                  "queueTimeout": "10m",
                  "retriesOnNodeLoss": 1,
                  "persistentStore": "etl-cache",
                  "labels": {"team": "data"}
                }
                """.formatted("ab".repeat(32)));
        String jobId = aJobId();

        SluiceRun submit = SluiceRun.run(on("submit", "--detach", "--job-id", jobId, "--file", file.toString(),
                "--target", "linux-large", "--step", "report=echo done", "--env", "MODE=quick", "--label", "run=7"));

        assertThat(submit.awaitExit()).as(submit.err()).isZero();
        JobSpec spec = harness.await(Topic.JOB_REQUESTS, jobId, JobSubmitted.class).getSpec();
        assertThat(spec).isEqualTo(JobSpec.newBuilder()
                .setOwner("carol").setName("etl").setTarget("linux-large")
                .setResources(List.of(ResourceRequest.newBuilder().setType("postgres-scratch")
                        .setParameters(Map.of("size", "small")).build()))
                .setSteps(List.of(
                        StepSpec.newBuilder().setName("load").setArgv(List.of("/usr/bin/load", "--all")).setScript(null)
                                .setEnv(Map.of("MODE", "quick")).setWorkdir("/data")
                                .setLimits(ProcessLimits.newBuilder().setMemoryBytes(512L << 20).setPids(64)
                                        .setOpenFiles(1024).setCpuShares(512).build())
                                .setCapabilities(List.of("CAP_NET_BIND_SERVICE")).setShutdownSignal(ShutdownSignal.INT)
                                .setStopGraceMillis(60_000).build(),
                        StepSpec.newBuilder(script("check", "test -s out.csv", 20_000, ShutdownSignal.TERM))
                                .setEnv(Map.of("MODE", "quick")).build(),
                        StepSpec.newBuilder(script("report", "echo done", 20_000, ShutdownSignal.TERM))
                                .setEnv(Map.of("MODE", "quick")).build()))
                .setInputs(List.of(InputFile.newBuilder().setSha256("ab".repeat(32))
                        .setFetchUri("https://example.org/load").setPath("bin/load").setExecutable(true)
                        .setSizeBytes(1234L).build()))
                .setRunTimeoutMillis(5_400_000L).setQueueTimeoutMillis(600_000L).setRetriesOnNodeLoss(1)
                .setPersistentStore("etl-cache").setLabels(Map.of("team", "data", "run", "7"))
                .build());
    }

    @Test
    void a_yaml_job_file_gives_the_same_spec_as_its_json_twin(@TempDir Path directory) throws Exception {
        Path json = Files.writeString(directory.resolve("job.json"), """
                {"owner": "carol", "name": "etl", "labels": {"team": "data"}, "runTimeout": "1h30m",
                 "steps": [{"name": "load", "argv": ["/usr/bin/load", "--all"], "limits": {"memoryBytes": "512m"},
                            "shutdownSignal": "INT", "stopGrace": "1m"},
                           {"name": "check", "script": "test -s out.csv"}]}
                """);
        Path yaml = Files.writeString(directory.resolve("job.yaml"), """
                owner: carol
                name: etl
                labels: {team: data}
                runTimeout: 1h30m
                steps:
                  - name: load
                    argv: [/usr/bin/load, --all]
                    limits: {memoryBytes: 512m}
                    shutdownSignal: INT
                    stopGrace: 1m
                  - name: check
                    script: test -s out.csv
                """);
        String fromJson = aJobId();
        String fromYaml = aJobId();

        SluiceRun jsonSubmit = SluiceRun.run(on("submit", "--detach", "--job-id", fromJson, "--file", json.toString()));
        SluiceRun yamlSubmit = SluiceRun.run(on("submit", "--detach", "--job-id", fromYaml, "--file", yaml.toString()));

        assertThat(jsonSubmit.awaitExit()).as(jsonSubmit.err()).isZero();
        assertThat(yamlSubmit.awaitExit()).as(yamlSubmit.err()).isZero();
        JobSpec yamlSpec = harness.await(Topic.JOB_REQUESTS, fromYaml, JobSubmitted.class).getSpec();
        assertThat(yamlSpec).isEqualTo(harness.await(Topic.JOB_REQUESTS, fromJson, JobSubmitted.class).getSpec());
        assertThat(yamlSpec.getSteps().get(0).getLimits().getMemoryBytes()).isEqualTo(512L << 20);
        assertThat(yamlSpec.getRunTimeoutMillis()).isEqualTo(5_400_000L);
    }

    @Test
    void without_detach_it_follows_the_job_to_its_end_and_exits_with_its_outcome() {
        String jobId = aJobId();
        SluiceRun submit = SluiceRun.start(on("submit", "--job-id", jobId, "--step", "greet=echo hi"));
        JobSpec spec = harness.await(Topic.JOB_REQUESTS, jobId, JobSubmitted.class).getSpec();

        storyOf(jobId).succeeds(spec, "greet", "hi\n");

        assertThat(submit.awaitExit()).as(submit.err()).isZero();
        submit.assertOutputInOrder("submitted job " + jobId + "; following it", "JobSubmitted", "JobAccepted",
                "StepStarted", "[greet] hi", "StepFinished", "JobCleanedUp", "outcome SUCCEEDED");
    }

    @Test
    void a_rejection_of_this_submission_ends_it_with_exit_code_two_even_under_the_id_of_an_accepted_job() {
        String jobId = aJobId();
        JobSpec earlier = Jobs.aJob().spec();
        storyOf(jobId).submitted(earlier).accepted(earlier).queued();

        SluiceRun submit = SluiceRun.start(on("submit", "--job-id", jobId, "--step", "other=true"));
        await().atMost(SluiceRun.DEADLINE).until(() -> harness.payloads(Topic.JOB_REQUESTS, jobId, JobSubmitted.class)
                .size() == 2);
        JobStory story = storyOf(jobId);
        story.rejected(story.lastSubmissionEventId(), problem("jobId", "job id '" + jobId
                + "' is already used by a job with a different spec; choose a new id"));

        assertThat(submit.awaitExit()).as(submit.out()).isEqualTo(2);
        submit.assertOutputInOrder("JobRejected", "state REJECTED: 1 problem", "    - jobId: job id '" + jobId
                + "' is already used");
    }

    @Test
    void the_request_is_signed_with_the_owner_key_over_the_bytes_sent() throws Exception {
        String jobId = aJobId();
        SluiceRun submit = SluiceRun.run(on("submit", "--detach", "--job-id", jobId, "--step", "a=true"));
        assertThat(submit.awaitExit()).as(submit.err()).isZero();

        var record = scope.topicReader().readAll(harness.topicName(Topic.JOB_REQUESTS)).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(jobId)).findFirst().orElseThrow();
        String signature = new String(record.headers().lastHeader(RequestSignature.HEADER).value(),
                StandardCharsets.UTF_8);

        assertThat(RequestSignature.verifies(signature, record.value(), TestOwners.keyOf("alice").publicKey()))
                .isTrue();
    }

    @Test
    void the_submission_is_stamped_when_it_is_sent_and_the_record_carries_the_same_time() {
        String jobId = aJobId();
        SluiceRun submit = SluiceRun.run(on("submit", "--detach", "--job-id", jobId, "--step", "a=true"));
        assertThat(submit.awaitExit()).as(submit.err()).isZero();

        var record = scope.topicReader().readAll(harness.topicName(Topic.JOB_REQUESTS)).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(jobId)).findFirst().orElseThrow();
        JobRequestEnvelope envelope = EventCodec.<JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS).decode(record.value());
        // Stamped before connecting, the event would be older than the record the producer timestamps as it sends.
        assertThat(envelope.getMetadata().getOccurredAt().toEpochMilli()).isEqualTo(record.timestamp());
        assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
    }

    @Test
    void a_refusal_of_this_submission_ends_it_with_exit_code_two_and_says_why() {
        String jobId = aJobId();
        SluiceRun submit = SluiceRun.start(on("submit", "--job-id", jobId, "--step", "a=true"));
        harness.await(Topic.JOB_REQUESTS, jobId, JobSubmitted.class);
        JobStory story = storyOf(jobId);
        story.refused(story.lastSubmissionEventId(), "signed with key abc, which is registered for no owner");

        assertThat(submit.awaitExit()).as(submit.out()).isEqualTo(2);
        submit.assertOutputInOrder("JobRequestRefused", "the submit request as alice was refused: signed with key "
                + "abc, which is registered for no owner");
    }

    @Test
    void a_missing_owner_key_file_is_named_and_nothing_is_sent() {
        String jobId = aJobId();
        SluiceRun submit = SluiceRun.run("submit", "--job-id", jobId, "--step", "a=true", "--owner-key",
                "/nonexistent/key.pem", "--bootstrap-servers", scope.bootstrapServers(), "--topic-prefix",
                scope.topicPrefix());

        assertThat(submit.awaitExit()).isEqualTo(2);
        assertThat(submit.err()).contains("cannot read the owner key /nonexistent/key.pem");
        submit.assertNoStackTrace();
        assertThat(harness.payloadNames(Topic.JOB_REQUESTS, jobId)).isEmpty();
    }

    private static StepSpec script(String name, String command, long stopGraceMillis, ShutdownSignal signal) {
        return StepSpec.newBuilder().setName(name).setArgv(List.of()).setScript(command)
                .setEnv(Map.of()).setWorkdir(null)
                .setLimits(ProcessLimits.newBuilder().build()).setCapabilities(List.of()).setShutdownSignal(signal)
                .setStopGraceMillis(stopGraceMillis).build();
    }
}
