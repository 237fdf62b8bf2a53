package io.sluice.bus.testapp;

import io.sluice.events.EventMetadata;
import io.sluice.events.JobSpec;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events the bus tests produce, built like sentences: {@code aJobSubmitted("job-1")}. */
public final class Fixtures {

    private Fixtures() {
    }

    public static JobRequestEnvelope aJobSubmitted(String jobId) {
        return aJobSubmittedNamed(jobId, "count-me");
    }

    /** A request the counting app's request handler is not concerned with. */
    public static JobRequestEnvelope aJobCancelRequested(String jobId) {
        return JobRequestEnvelope.newBuilder()
                .setMetadata(metadata(jobId))
                .setPayload(JobCancelRequested.newBuilder().setJobId(jobId).setRequestedBy("bus-test")
                        .setReason("the test cancels it").build())
                .build();
    }

    public static JobRequestEnvelope aJobSubmittedNamed(String jobId, String name) {
        return JobRequestEnvelope.newBuilder()
                .setMetadata(metadata(jobId))
                .setPayload(JobSubmitted.newBuilder()
                        .setJobId(jobId)
                        .setSpec(JobSpec.newBuilder()
                                .setOwner("alice")
                                .setName(name)
                                .setTarget("linux")
                                .setResources(List.of())
                                .setSteps(List.of(StepSpec.newBuilder().setName("true")
                                        .setArgv(List.of("/bin/true")).build()))
                                .setInputs(List.of())
                                .setRunTimeoutMillis(null)
                                .setQueueTimeoutMillis(null)
                                .setRetriesOnNodeLoss(0)
                                .setPersistentStore(null)
                                .setLabels(Map.of())
                                .build())
                        .build())
                .build();
    }

    private static EventMetadata metadata(String jobId) {
        return EventMetadata.newBuilder()
                .setEventId(UUID.randomUUID())
                .setOccurredAt(Instant.now())
                .setCorrelationId(jobId)
                .setCausationId(null)
                .setProducer("bus-test")
                .build();
    }
}
