package io.sluice.factory;

import io.sluice.events.GrantedResource;
import io.sluice.events.InputFile;
import io.sluice.events.JobNetwork;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ShutdownSignal;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepareFailed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.events.worker.FirstLaunch;
import io.sluice.events.worker.WorkerDemandWithdrawn;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerReleaseRequested;
import io.sluice.factory.domain.WorkerIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The events the tests produce as job-service and node runners, built like sentences: {@code aNode("n1", "linux", 2)}. */
final class FactoryFixtures {

    private static final Instant STARTED = Instant.parse("2025-01-01T00:00:00Z");

    private FactoryFixtures() {
    }

    /** A live, empty node serving {@code target} with {@code slots} slots. */
    static NodeHeartbeat aNode(String nodeId, String target, int slots) {
        return NodeHeartbeat.newBuilder().setNodeId(nodeId).setHostname(nodeId + ".example").setTargets(List.of(target))
                .setSlotsTotal(slots).setSlotsUsed(0).setRunningProcesses(0).setWorkers(List.of()).setDraining(false)
                .setIsolation(IsolationMode.NONE).setWarnings(List.of()).setVersion("test").setStartedAt(STARTED)
                .setIntervalMillis(250).build();
    }

    static NodeHeartbeat draining(NodeHeartbeat node) {
        return NodeHeartbeat.newBuilder(node).setDraining(true).build();
    }

    static NodeHeartbeat hosting(NodeHeartbeat node, String... workers) {
        return NodeHeartbeat.newBuilder(node).setWorkers(List.of(workers)).setSlotsUsed(workers.length).build();
    }

    static WorkerDemanded aDemand(String jobId, String target) {
        return WorkerDemanded.newBuilder().setJobId(jobId).setAttempt(1).setTarget(target).setOwner("alice")
                .setInputs(List.of()).setResources(List.of()).setPersistentStore(null).build();
    }

    /**
     * A demand with an input, a resource, a persistent store and the host's network (not the default), to see them
     * reach the node.
     */
    static WorkerDemanded aFullDemand(String jobId, String target) {
        return WorkerDemanded.newBuilder(aDemand(jobId, target))
                .setInputs(List.of(InputFile.newBuilder().setSha256("ab".repeat(32)).setFetchUri("file:///tool")
                        .setPath("bin/tool").setExecutable(true).setSizeBytes(12L).build()))
                .setResources(List.of(GrantedResource.newBuilder().setResourceId("db-7").setType("postgres-scratch")
                        .setMetadata(Map.of("host", "db.example")).setSecrets(List.of()).build()))
                .setPersistentStore("cache").setNetwork(JobNetwork.HOST).build();
    }

    /** A demand that carries the job's first launch, as job-service sends it. */
    static WorkerDemanded aDemandLaunching(String jobId, String target, String process) {
        return WorkerDemanded.newBuilder(aDemand(jobId, target)).setFirstLaunch(FirstLaunch.newBuilder()
                .setProcess(process).setArgv(List.of("/bin/sh", "-c", "make all")).setEnv(Map.of("MODE", "fast"))
                .setWorkdir("src").setLimits(ProcessLimits.newBuilder().setMemoryBytes(1L << 28).setPids(64)
                        .setOpenFiles(null).setCpuShares(null).build())
                .setCapabilities(List.of("CAP_NET_BIND_SERVICE")).setShutdownSignal(ShutdownSignal.INT)
                .setStopGraceMillis(1_500).build()).build();
    }

    static WorkerReleaseRequested aRelease(String jobId, String target) {
        return WorkerReleaseRequested.newBuilder().setJobId(jobId).setTarget(target).setWorkerId(jobId + ".1").build();
    }

    static WorkerDemandWithdrawn aWithdrawal(String jobId, String target) {
        return WorkerDemandWithdrawn.newBuilder().setJobId(jobId).setAttempt(1).setTarget(target)
                .setReason("cancelled by alice").build();
    }

    static WorkerPrepared prepared(String nodeId, String jobId) {
        return WorkerPrepared.newBuilder().setNodeId(nodeId).setWorkerId(jobId + ".1").setJobId(jobId)
                .setInputsFetched(0).setInputsCached(0).build();
    }

    static WorkerPrepareFailed prepareFailed(String nodeId, String jobId, String reason) {
        return WorkerPrepareFailed.newBuilder().setNodeId(nodeId).setWorkerId(jobId + ".1").setJobId(jobId)
                .setReason(reason).setFailedInput(null).build();
    }

    /** What a node answers to a LaunchProcess in a worker it does not have (its preparation failed). */
    static CommandRejected launchRejected(String nodeId, String jobId) {
        return CommandRejected.newBuilder().setNodeId(nodeId).setCommandEventId("00000000-0000-0000-0000-000000000001")
                .setCommand("LaunchProcess").setWorkerId(jobId + ".1").setJobId(jobId)
                .setReason("this node has no worker " + jobId + ".1").build();
    }

    static WorkerDestroyed destroyed(String nodeId, String workerId) {
        return WorkerDestroyed.newBuilder().setNodeId(nodeId).setWorkerId(workerId)
                .setJobId(WorkerIds.jobIdOf(workerId)).build();
    }
}
