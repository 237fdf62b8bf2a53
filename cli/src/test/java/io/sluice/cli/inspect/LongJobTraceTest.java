package io.sluice.cli.inspect;

import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.Sluice;
import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A job of 10,000 steps is a causal chain 20,000 events deep: {@code sluice trace} walks it without recursion, keeps
 * the indentation bounded, and prints one line per event in bounded time.
 */
class LongJobTraceTest {

    private static final int STEPS = 10_000;
    private static final String JOB = "long-job";

    @Test
    void a_job_of_ten_thousand_steps_traces_as_one_chain_with_bounded_indentation() throws Exception {
        try (IsolatedScope scope = TestInfra.shared().isolate("long-trace")) {
            new TopicCreator(scope.admin(), new TopicNaming(scope.topicPrefix())).createAll();
            Instant t0 = Instant.parse("2026-12-06T12:00:00Z");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(scope.producerProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                String cause = send(producer, scope, Topic.JOB_REQUESTS, null, t0, JobSubmitted.newBuilder()
                        .setJobId(JOB).setSpec(aJob().spec()).build());
                for (int step = 0; step < STEPS; step++) {
                    cause = send(producer, scope, Topic.JOB_EVENTS, cause, t0.plusMillis(2L * step + 1), StepStarted
                            .newBuilder().setJobId(JOB).setStepIndex(step).setStepName("s" + step)
                            .setWorkerId(JOB + ".1").setPid(100).setStartedAt(t0).setAttempt(1).build());
                    cause = send(producer, scope, Topic.JOB_EVENTS, cause, t0.plusMillis(2L * step + 2), StepFinished
                            .newBuilder().setJobId(JOB).setStepIndex(step).setStepName("s" + step).setSucceeded(true)
                            .setExitCode(0).setOomKilled(false).setDurationMillis(1L).setAttempt(1).build());
                }
                producer.flush();
            }

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long started = System.nanoTime();
            int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute("trace", JOB, "--bootstrap-servers", scope.bootstrapServers(), "--topic-prefix",
                            scope.topicPrefix());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(exit).as(err.toString()).isZero();
            assertThat(took).isLessThan(Duration.ofSeconds(60));
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).filteredOn(line -> line.contains(" StepFinished stepIndex=")).hasSize(STEPS);
            String last = lines.stream().filter(line -> line.contains("StepFinished stepIndex=" + (STEPS - 1) + " "))
                    .findFirst().orElseThrow();
            // The service column (15 wide), then at most 30 levels of indentation and the true depth.
            assertThat(last).matches(" +\\+20\\.000s +\\(\\+0\\.001s\\)  test {12}( {2}){30}\\[" + 2 * STEPS
                    + "\\] StepFinished stepIndex=9999 stepName=s9999 .*");
            assertThat(lines).contains("where the time went so far:");
        }
    }

    /** Sends an event of the job caused by {@code cause}; returns its event id. */
    private static String send(KafkaProducer<byte[], byte[]> producer, IsolatedScope scope, Topic topic,
                               String cause, Instant at, SpecificRecord payload) {
        EventMetadata metadata = Envelopes.metadata(UUID.randomUUID(), at, JOB, cause, "test/1");
        SpecificRecordBase envelope = Envelopes.envelope(topic, metadata, payload);
        producer.send(new ProducerRecord<>(new TopicNaming(scope.topicPrefix()).nameOf(topic), null,
                at.toEpochMilli(), JOB.getBytes(StandardCharsets.UTF_8),
                EventCodec.forTopic(topic).encode(envelope)));
        return metadata.getEventId().toString();
    }
}
