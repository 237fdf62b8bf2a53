package io.sluice.schemas;

import io.sluice.events.InputFile;
import io.sluice.events.JobSpec;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ResourceRequest;
import io.sluice.events.ShutdownSignal;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Hand-written events with realistic values, for tests that look at specific fields. */
final class Fixtures {

    static final String JOB_ID = "5d1f3c4e-8a2b-4f6e-9c7d-0b1a2e3f4d5c";
    static final UUID EVENT_ID = UUID.fromString("0c6a4f8e-2d3b-4e5f-8a9b-1c2d3e4f5a6b");
    static final Instant SUBMITTED_AT = Instant.parse("2026-01-15T09:30:00.123Z");

    private Fixtures() {
    }

    static JobRequestEnvelope aJobSubmittedEnvelope() {
        return JobRequestEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(EVENT_ID, SUBMITTED_AT, JOB_ID, null, "sluice-cli/alice-laptop"))
                .setPayload(JobSubmitted.newBuilder().setJobId(JOB_ID).setSpec(aJobSpec()).build())
                .build();
    }

    static JobSpec aJobSpec() {
        return JobSpec.newBuilder()
                .setOwner("alice")
                .setName("nightly-build")
                .setTarget("debian-12")
                .setResources(List.of(ResourceRequest.newBuilder().setType("postgres-scratch")
                        .setParameters(Map.of("size", "small")).build()))
                .setSteps(List.of(
                        StepSpec.newBuilder().setName("build").setArgv(List.of("/usr/bin/make", "-j2", "all"))
                                .setEnv(Map.of("CC", "gcc"))
                                .setLimits(ProcessLimits.newBuilder().setMemoryBytes(536_870_912L).setPids(256)
                                        .setOpenFiles(1024).setCpuShares(512).build())
                                .build(),
                        StepSpec.newBuilder().setName("test").setScript("./run-tests.sh --fast")
                                .setShutdownSignal(ShutdownSignal.INT).setStopGraceMillis(5_000L).build()))
                .setInputs(List.of(InputFile.newBuilder()
                        .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                        .setFetchUri("https://artifacts.example.org/src.tar").setPath("src.tar").build()))
                .setRunTimeoutMillis(600_000L)
                .setRetriesOnNodeLoss(1)
                .build();
    }
}
