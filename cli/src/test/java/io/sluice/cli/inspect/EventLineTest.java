package io.sluice.cli.inspect;

import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.json.RecordPlace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The compact line of a record: a dead letter with its original decoded, a log chunk's text bounded and escaped. */
class EventLineTest {

    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void a_dead_letter_shows_where_its_record_was_the_error_and_the_record_decoded() {
        JobRequestEnvelope original = Envelopes.envelope(Topic.JOB_REQUESTS,
                Envelopes.metadata(UUID.randomUUID(), AT, "job-1", null, "sluice-cli/alice"),
                JobSubmitted.newBuilder().setJobId("job-1").setSpec(aJob().spec()).build());
        DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("p.sluice.job.requests").setPartition(4)
                .setOffset(17).setKey(ByteBuffer.wrap("job-1".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(EventCodec.forTopic(Topic.JOB_REQUESTS).encode(original)))
                .setErrorClass("java.lang.IllegalStateException").setErrorMessage("no saga for job-1")
                .setConsumer("job-service.requests").setFailedAt(AT).build();

        assertThat(EventLine.fields(letter, "job-1")).isEqualTo(" of p.sluice.job.requests/4@17 "
                + "consumer=job-service.requests error=IllegalStateException: no saga for job-1 | original: "
                + "JobSubmitted owner=alice name=build target=linux steps=1");
        assertThat(EventLine.original(letter).place()).isEqualTo(new RecordPlace("p.sluice.job.requests", 4, 17L,
                null));
    }

    @Test
    void a_log_chunk_shows_its_step_stream_sequence_and_text_escaped_and_bounded() {
        LogChunk chunk = LogChunk.newBuilder().setJobId("job-1").setWorkerId("job-1.1").setProcess("build")
                .setStream(LogStream.STDERR).setSequence(3).setStreamOffset(0).setData(ByteBuffer.wrap(
                        ("tab\there \"quoted\"\u001b[31m\n" + "x".repeat(300)).getBytes(StandardCharsets.UTF_8)))
                .build();

        assertThat(EventLine.fields(chunk, "job-1")).isEqualTo(" step=build stream=STDERR seq=3 \"tab\\there "
                + "\\\"quoted\\\"\\x1b[31m\\n" + "x".repeat(200 - 23) + "...(323 chars)\"");
    }
}
