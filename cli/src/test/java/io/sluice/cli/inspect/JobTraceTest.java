package io.sluice.cli.inspect;

import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.job.WorkerRequested;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.schemas.json.RecordPlace;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** A trace orders a job's records by causation and sums its phases from the events that bound them. */
class JobTraceTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    private final JobTrace trace = new JobTrace("job-1", false);
    private long offset;

    @Test
    void a_job_that_never_got_its_worker_prepared_has_those_phases_unreached_and_the_rest_add_up() {
        // The client stamped the request a second before its producer sent it: the submission is the send.
        String submitted = offer(Topic.JOB_REQUESTS, submittedRequest(), null, T0, T0.plusSeconds(1));
        String queued = offer(Topic.JOB_EVENTS, new JobQueued(), submitted, T0.plusMillis(1200), null);
        String requested = offer(Topic.JOB_EVENTS, new WorkerRequested(), submitted, T0.plusMillis(1300), null);
        String preparing = offer(Topic.WORKER_EVENTS, new WorkerPreparing(), requested, T0.plusMillis(2000), null);
        offer(Topic.JOB_EVENTS, new JobCleanedUp(), preparing, T0.plusMillis(5000), null);

        TracePhases phases = TracePhases.of(trace);

        assertThat(phases.submittedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(phases.phases()).extracting(phase -> phase.name() + " " + phase.from() + "->" + phase.to() + " "
                + (phase.took() == null ? "not reached" : phase.took().toMillis())).containsExactly(
                "queue submission->JobQueued 200",
                "resources JobQueued->WorkerRequested 100",
                "placement WorkerRequested->WorkerPreparing 700",
                "prepare WorkerPreparing->WorkerPrepared not reached",
                "start WorkerPreparing->first ProcessStarted not reached",
                "run WorkerPreparing->last ProcessExited not reached",
                "cleanup WorkerPreparing->JobCleanedUp 3000");
        assertThat(phases.total()).isEqualTo(Duration.ofMillis(4000));
        assertThat(phases.complete()).isTrue();
        assertThat(trace.ordered()).extracting(placed -> placed.depth() + " " + placed.entry().type()).containsExactly(
                "0 JobSubmitted", "1 JobQueued", "1 WorkerRequested", "2 WorkerPreparing", "3 JobCleanedUp");
        assertThat(trace.ordered().get(1).entry().eventId()).isEqualTo(queued);
        assertThat(trace.ordered().get(1).cause().eventId()).isEqualTo(submitted);
    }

    @Test
    void log_chunks_are_counted_not_kept_an_event_read_twice_is_kept_once_and_other_jobs_are_left_out() {
        String submitted = offer(Topic.JOB_REQUESTS, submittedRequest(), null, T0, T0);
        for (int sequence = 0; sequence < 3; sequence++) {
            LogChunk chunk = LogChunk.newBuilder().setJobId("job-1").setWorkerId("job-1.1").setProcess("build")
                    .setStream(LogStream.STDOUT).setSequence(sequence).setStreamOffset(0)
                    .setData(ByteBuffer.wrap(new byte[] {'a', '\n'})).build();
            offer(Topic.JOB_LOGS, chunk, submitted, T0.plusMillis(sequence), null);
        }
        EventMetadata queued = Envelopes.metadata(UUID.randomUUID(), T0.plusMillis(10), "job-1", submitted, "svc/1");
        trace.offer(read(Topic.JOB_EVENTS, queued, new JobQueued(), "job-1", null));
        trace.offer(read(Topic.JOB_EVENTS, queued, new JobQueued(), "job-1", null));
        trace.offer(read(Topic.JOB_EVENTS, Envelopes.metadata(UUID.randomUUID(), T0, "job-2", null, "svc/1"),
                new JobQueued(), "job-2", null));

        assertThat(trace.logs()).containsExactly(new JobTrace.LogCount("build", "STDOUT", 3, 6));
        assertThat(trace.ordered()).extracting(placed -> placed.entry().type())
                .containsExactly("JobSubmitted", "JobQueued");
        assertThat(trace.duplicates()).isEqualTo(1);
    }

    private static JobSubmitted submittedRequest() {
        return JobSubmitted.newBuilder().setJobId("job-1").setSpec(aJob().spec()).build();
    }

    /** Offers an event of job-1 caused by {@code cause}; returns its event id. */
    private String offer(Topic topic, SpecificRecord payload, String cause, Instant occurredAt, Instant sent) {
        EventMetadata metadata = Envelopes.metadata(UUID.randomUUID(), occurredAt, "job-1", cause, "svc/1");
        trace.offer(read(topic, metadata, payload, "job-1", sent == null ? occurredAt : sent));
        return metadata.getEventId().toString();
    }

    private ReadRecord read(Topic topic, EventMetadata metadata, SpecificRecord payload, String key, Instant sent) {
        return new ReadRecord(topic, new RecordPlace(topic.topicName(), 0, offset++, sent), key,
                Envelopes.envelope(topic, metadata, payload), null, 100);
    }
}
