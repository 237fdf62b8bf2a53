package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.node.StopProcess;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

    private static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");

    @Test
    void metadata_and_payload_are_read_from_any_envelope() {
        var envelope = Fixtures.aJobSubmittedEnvelope();

        assertThat(Envelopes.metadataOf(envelope).getEventId()).isEqualTo(Fixtures.EVENT_ID);
        assertThat(Envelopes.payloadOf(envelope)).isInstanceOf(JobSubmitted.class);
    }

    @Test
    void an_event_caused_by_another_keeps_its_correlation_and_names_its_cause() {
        EventMetadata cause = Envelopes.metadataOf(Fixtures.aJobSubmittedEnvelope());
        UUID eventId = UUID.fromString("11111111-2222-3333-4444-555555555555");

        EventMetadata effect = Envelopes.causedBy(cause, eventId, NOW, "job-service/host-1");

        assertThat(effect.getEventId()).isEqualTo(eventId);
        assertThat(effect.getOccurredAt()).isEqualTo(NOW);
        assertThat(effect.getCorrelationId()).isEqualTo(Fixtures.JOB_ID);
        assertThat(effect.getCausationId()).isEqualTo(Fixtures.EVENT_ID.toString());
        assertThat(effect.getProducer()).isEqualTo("job-service/host-1");
    }

    @Test
    void an_envelope_is_built_around_an_event_of_its_topic() {
        EventMetadata metadata = Envelopes.metadata(UUID.randomUUID(), NOW, "job-1", null, "job-service/host-1");
        JobQueued queued = JobQueued.newBuilder().setJobId("job-1").build();

        JobEventEnvelope envelope = Envelopes.envelope(Topic.JOB_EVENTS, metadata, queued);

        assertThat(envelope.getMetadata()).isEqualTo(metadata);
        assertThat(envelope.getPayload()).isEqualTo(queued);
        assertThat(EventCodec.forClass(JobEventEnvelope.class).decode(EventCodec.forClass(JobEventEnvelope.class)
                .encode(envelope))).isEqualTo(envelope);
    }

    @Test
    void an_event_of_another_topic_does_not_fit_the_envelope() {
        EventMetadata metadata = Envelopes.metadata(UUID.randomUUID(), NOW, "node-1", null, "job-service/host-1");
        StopProcess command = StopProcess.newBuilder().setNodeId("node-1").setWorkerId("w").setJobId("j")
                .setProcess("build").build();

        assertThatThrownBy(() -> Envelopes.envelope(Topic.JOB_EVENTS, metadata, command))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io.sluice.events.node.StopProcess is not an event of topic sluice.job.events")
                .hasMessageContaining("JobAccepted");
    }

    @Test
    void metadata_requires_the_mandatory_fields() {
        assertThatThrownBy(() -> Envelopes.metadata(null, NOW, "job-1", null, "p"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("eventId");
        assertThatThrownBy(() -> Envelopes.metadata(UUID.randomUUID(), NOW, "job-1", null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("producer");
    }

    @Test
    void a_record_without_metadata_and_payload_is_not_an_envelope() {
        assertThatThrownBy(() -> Envelopes.payloadOf(JobQueued.newBuilder().setJobId("j").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io.sluice.events.job.JobQueued is not an envelope");
    }
}
