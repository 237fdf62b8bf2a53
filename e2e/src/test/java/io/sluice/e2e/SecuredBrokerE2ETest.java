package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.StepFinished;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole life cycle on a broker with SASL and ACLs: the four services each log in as their own principal, allowed
 * only their own topics and groups, and the job is submitted and followed as the user principal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredBrokerE2ETest {

    private SluiceSystem sluice;

    @BeforeAll
    void start() throws Exception {
        sluice = SluiceSystem.secured("secured", 1, Map.of("sluice.well.types.lab.provisioner", "semaphore"));
    }

    @AfterAll
    void stop() throws Exception {
        sluice.close();
    }

    @Test
    void a_job_with_a_resource_runs_to_its_end_through_all_four_services_each_as_its_own_principal() {
        sluice.submit("secured-job", aJob().withResources("lab").withSteps(
                aScript("hello", "echo hello from a secured broker"), aScript("count", "echo one; echo two")).spec());

        JobCleanedUp cleaned = sluice.bus.await(Topic.JOB_EVENTS, "secured-job", JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, "secured-job", StepFinished.class))
                .extracting(StepFinished::getStepName, StepFinished::getExitCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", 0),
                        org.assertj.core.groups.Tuple.tuple("count", 0));
        assertThat(sluice.bus.payloadNames(Topic.JOB_EVENTS, "secured-job"))
                .contains("ResourceAcquired", "JobWorkerAssigned", "JobResourceReleased", "JobFinished");
        await().atMost(EventHarness.DEADLINE).untilAsserted(() -> {
            assertThat(sluice.output("secured-job", "hello", "STDOUT")).isEqualTo("hello from a secured broker\n");
            assertThat(sluice.output("secured-job", "count", "STDOUT")).isEqualTo("one\ntwo\n");
        });
    }

    @Test
    void the_user_principal_cannot_command_a_node() {
        try (var producer = new KafkaProducer<byte[], byte[]>(sluice.scope.producerProperties())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(sluice.bus.topicName(Topic.NODE_COMMANDS),
                    sluice.nodeId.getBytes(StandardCharsets.UTF_8), new byte[] {1})).get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }
}
