package io.sluice.bus.testapp;

import io.sluice.events.EventMetadata;
import io.sluice.events.JobSpec;
import io.sluice.events.StepSpec;
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

    public static JobRequestEnvelope aJobSubmittedNamed(String jobId, String name) {
        return JobRequestEnvelope.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(UUID.randomUUID())
                        .setOccurredAt(Instant.now())
                        .setCorrelationId(jobId)
                        .setCausationId(null)
                        .setProducer("bus-test")
                        .build())
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
}
