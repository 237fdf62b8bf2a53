package io.sluice.testing;

import io.sluice.events.JobSpec;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ResourceRequest;
import io.sluice.events.ShutdownSignal;
import io.sluice.events.StepSpec;
import java.util.List;
import java.util.Map;

/** Job specs for tests, built to read like sentences: {@code aJob().withSteps(...)}. */
public final class Jobs {

    private final JobSpec.Builder spec = JobSpec.newBuilder()
            .setOwner("alice").setName("build").setTarget("linux").setResources(List.of())
            .setSteps(List.of(aStep("compile", "/bin/true"))).setInputs(List.of())
            .setRunTimeoutMillis(null).setQueueTimeoutMillis(null).setRetriesOnNodeLoss(0)
            .setPersistentStore(null).setLabels(Map.of());

    public static Jobs aJob() {
        return new Jobs();
    }

    public static StepSpec aStep(String name, String... argv) {
        return StepSpec.newBuilder().setName(name).setArgv(List.of(argv)).setScript(null).setEnv(Map.of())
                .setWorkdir(null).setLimits(ProcessLimits.newBuilder().build()).setCapabilities(List.of())
                .setShutdownSignal(ShutdownSignal.TERM).setStopGraceMillis(2_000).build();
    }

    public static StepSpec aScript(String name, String script) {
        return StepSpec.newBuilder(aStep(name, "unused")).setArgv(List.of()).setScript(script).build();
    }

    public Jobs withSteps(StepSpec... steps) {
        spec.setSteps(List.of(steps));
        return this;
    }

    public Jobs withResources(String... types) {
        spec.setResources(List.of(types).stream()
                .map(type -> ResourceRequest.newBuilder().setType(type).setParameters(Map.of()).build()).toList());
        return this;
    }

    public Jobs ownedBy(String owner) {
        spec.setOwner(owner);
        return this;
    }

    public Jobs onTarget(String target) {
        spec.setTarget(target);
        return this;
    }

    public Jobs withRunTimeout(long millis) {
        spec.setRunTimeoutMillis(millis);
        return this;
    }

    public Jobs withQueueTimeout(long millis) {
        spec.setQueueTimeoutMillis(millis);
        return this;
    }

    public Jobs retriedOnNodeLoss(int times) {
        spec.setRetriesOnNodeLoss(times);
        return this;
    }

    public JobSpec spec() {
        return spec.build();
    }
}
