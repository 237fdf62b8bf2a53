package io.sluice.runner.edge.commands;

import io.sluice.events.InputFile;
import io.sluice.events.JobNetwork;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.DrainNode;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessLaunchFailed;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.StopProcess;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepareFailed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.runner.domain.ResourceEnvironment;
import io.sluice.runner.publish.NodeEventPublisher;
import io.sluice.runner.store.resources.ResourceFiles;
import io.sluice.runner.store.resources.ResourceSecretException;
import io.sluice.runner.store.inputs.InputCache;
import io.sluice.runner.store.inputs.InputUnavailableException;
import io.sluice.runner.store.isolation.network.WorkerNetworks;
import io.sluice.runner.store.isolation.process.LaunchFailedException;
import io.sluice.runner.store.isolation.process.ProcessIsolation;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.publish.NodeMetrics;
import io.sluice.runner.publish.logs.ProcessLog;
import io.sluice.runner.store.DrainOrder;
import io.sluice.runner.store.WorkerRecords;
import io.sluice.runner.store.WorkerRecords.StopRequest;
import io.sluice.runner.store.WorkerRecords.Worker;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the commands addressed to this node on its workers and processes, and reports each outcome as a
 * node event. Every command can be applied twice with the same result: a worker is prepared once, a process is
 * launched once, stopped once and a worker destroyed once; stopping what already exited changes nothing.
 * Stopping and destroying go on in the background, so that no command waits for another's stop grace, and a
 * command's event is handed back unacknowledged, so that the worker's next command need not wait for the broker.
 * It is called for different workers at the same time and for one worker's commands one at a time: what it touches
 * is either the worker's own (its directory, its processes) or safe to share (the input cache, the process table,
 * the producer).
 */
public final class ApplyNodeCommands implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyNodeCommands.class);

    private static final CompletableFuture<?> DONE = CompletableFuture.completedFuture(null);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String NAME_RULE = "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter "
            + "or digit";

    private final String nodeId;
    private final NodeMetrics metrics;
    private final WorkerRecords store;
    private final InputCache inputs;
    private final ResourceFiles resourceFiles;
    private final ProcessIsolation isolation;
    private final NodeEventPublisher events;
    private final ProcessTable table;
    private final ExitReporter exits;
    private final ProcessOutputs outputs;
    private final DestroyWorkers destroyer;
    private final WorkerNetworks networks;
    private final DrainOrder drainOrder;
    private final Runnable drainOrderChanged;

    public ApplyNodeCommands(String nodeId, WorkerRecords store, InputCache inputs, ResourceFiles resourceFiles,
                             ProcessIsolation isolation, NodeEventPublisher events, ProcessTable table,
                             ExitReporter exits, ProcessOutputs outputs, DestroyWorkers destroyer,
                             WorkerNetworks networks, DrainOrder drainOrder, Runnable drainOrderChanged,
                             NodeMetrics metrics) {
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.store = store;
        this.inputs = inputs;
        this.resourceFiles = resourceFiles;
        this.isolation = isolation;
        this.events = events;
        this.table = table;
        this.exits = exits;
        this.outputs = outputs;
        this.destroyer = destroyer;
        this.networks = networks;
        this.drainOrder = drainOrder;
        this.drainOrderChanged = drainOrderChanged;
    }

    @Override
    public CompletableFuture<?> handle(NodeCommandEnvelope command) throws Exception {
        String commandId = command.getMetadata().getEventId().toString();
        return switch (command.getPayload()) {
            case PrepareWorker prepare -> prepare(prepare, commandId);
            case LaunchProcess launch -> launch(launch, commandId);
            case StopProcess stop -> stop(stop, commandId);
            case DestroyWorker destroy -> destroy(destroy, commandId);
            case DrainNode drain -> drain(drain);
            default -> reject(commandId, command.getPayload().getClass().getSimpleName(), null, null,
                    "this node runner does not know the command");
        };
    }

    private CompletableFuture<?> prepare(PrepareWorker command, String commandId) throws Exception {
        String badName = nameProblem(command.getWorkerId(), command.getJobId(), null);
        if (badName != null) {
            return reject(commandId, "PrepareWorker", command.getWorkerId(), command.getJobId(), badName);
        }
        Optional<Worker> existing = store.find(command.getWorkerId());
        if (existing.isPresent() && beingDestroyed(existing.get())) {
            return rejectBeingDestroyed(commandId, "PrepareWorker", existing.get());
        }
        if (existing.isPresent()) {
            return events.send(command.getJobId(), commandId, prepared(command, 0, command.getInputs().size()));
        }
        if (command.getPersistentStore() != null) {
            String badStore = storeNameProblem(command);
            if (badStore != null) {
                return prepareFailed(command, commandId, badStore, null);
            }
        }
        String badResources = ResourceEnvironment.fileNameProblem(command.getResources());
        if (badResources != null) {
            return prepareFailed(command, commandId, badResources, null);
        }
        Map<String, String> resourceEnvironment;
        try {
            resourceEnvironment = ResourceEnvironment.of(command.getResources());
        } catch (IllegalArgumentException e) {
            return prepareFailed(command, commandId, e.getMessage(), null);
        }
        Worker worker = store.layOut(command.getWorkerId(), command.getJobId(), command.getOwner(),
                command.getPersistentStore());
        try {
            resourceFiles.write(worker.resources(), command.getResources());
        } catch (ResourceSecretException e) {
            store.delete(worker);
            return prepareFailed(command, commandId, e.getMessage(), null);
        } catch (IOException | RuntimeException e) {
            store.delete(worker); // no secret stays on disk for a worker that is not there
            throw e;
        }
        store.saveResourceEnvironment(worker, resourceEnvironment);
        int fetched = 0;
        for (InputFile input : command.getInputs()) {
            try {
                fetched += inputs.provide(input, worker.data()) ? 1 : 0;
            } catch (InputUnavailableException e) {
                store.delete(worker);
                return prepareFailed(command, commandId, e.getMessage(), e.input());
            }
        }
        if (command.getNetwork() != JobNetwork.HOST) {
            try {
                worker = worker.inNetwork(networks.create(worker.workerId()));
            } catch (IOException e) {
                store.delete(worker);
                networks.remove(worker.workerId()); // what is left if this fails goes at the runner's next start
                return prepareFailed(command, commandId, "cannot give the worker a network of its own: "
                        + e.getMessage(), null);
            }
        }
        store.save(worker);
        return events.send(command.getJobId(), commandId,
                prepared(command, fetched, command.getInputs().size() - fetched));
    }

    private WorkerPrepared prepared(PrepareWorker command, int fetched, int cached) {
        return WorkerPrepared.newBuilder().setNodeId(nodeId).setWorkerId(command.getWorkerId())
                .setJobId(command.getJobId()).setInputsFetched(fetched).setInputsCached(cached).build();
    }

    private CompletableFuture<?> prepareFailed(PrepareWorker command, String commandId, String reason,
                                               String failedInput) {
        return events.send(command.getJobId(), commandId, WorkerPrepareFailed.newBuilder().setNodeId(nodeId)
                .setWorkerId(command.getWorkerId()).setJobId(command.getJobId()).setReason(reason)
                .setFailedInput(failedInput).build());
    }

    private CompletableFuture<?> launch(LaunchProcess command, String commandId) throws Exception {
        String badName = nameProblem(command.getWorkerId(), command.getJobId(), command.getProcess());
        if (badName != null) {
            return reject(commandId, "LaunchProcess", command.getWorkerId(), command.getJobId(), badName);
        }
        Optional<Worker> found = store.find(command.getWorkerId());
        String notHere = workerProblem(found, command.getWorkerId(), command.getJobId());
        if (notHere != null) {
            return reject(commandId, "LaunchProcess", command.getWorkerId(), command.getJobId(), notHere);
        }
        Worker worker = found.get();
        ProcessKey key = new ProcessKey(worker.workerId(), command.getProcess());
        Optional<RunningProcess> running = table.find(key);
        if (running.isPresent() && store.launchCommandOf(worker, command.getProcess()).orElse("").equals(commandId)) {
            // This very command was applied before a crash: say again that it started (same event id).
            return sendStarted(command, commandId, worker, running.get());
        }
        if (store.exitReported(worker, command.getProcess()) || running.isPresent()) {
            return DONE; // launched before: a duplicate starts nothing new
        }
        if (beingDestroyed(worker)) {
            return rejectBeingDestroyed(commandId, "LaunchProcess", worker);
        }
        store.recordLaunch(worker, command.getProcess(), commandId);
        ProcessLog log = outputs.open(worker, command.getProcess(), commandId);
        RunningProcess process;
        long launchStart = System.nanoTime();
        try {
            process = isolation.launch(LaunchSpecs.specOf(command, worker, store.logs(),
                            store.resourceEnvironmentOf(worker)),
                    ProcessOutputs.listenerOf(log));
        } catch (LaunchFailedException e) {
            outputs.finished(key);
            store.recordExitReported(worker, command.getProcess());
            return events.send(command.getJobId(), commandId, ProcessLaunchFailed.newBuilder().setNodeId(nodeId)
                    .setWorkerId(worker.workerId()).setJobId(worker.jobId()).setProcess(command.getProcess())
                    .setReason(e.getMessage()).build());
        }
        metrics.launched(Duration.ofNanos(System.nanoTime() - launchStart));
        CompletableFuture<?> started = sendStarted(command, commandId, worker, process);
        exits.watch(worker, command.getProcess(), process, commandId);
        return started;
    }

    private CompletableFuture<?> sendStarted(LaunchProcess command, String commandId, Worker worker,
                                             RunningProcess process) {
        return events.send(command.getJobId(), commandId, ProcessStarted.newBuilder().setNodeId(nodeId)
                .setWorkerId(worker.workerId()).setJobId(worker.jobId()).setProcess(command.getProcess())
                .setPid((int) process.pid()).setStartedAt(process.startedAt()).build());
    }

    private CompletableFuture<?> stop(StopProcess command, String commandId) throws Exception {
        Optional<Worker> found = store.find(command.getWorkerId());
        String notHere = workerProblem(found, command.getWorkerId(), command.getJobId());
        if (notHere != null) {
            return reject(commandId, "StopProcess", command.getWorkerId(), command.getJobId(), notHere);
        }
        if (command.getGraceMillis() != null && command.getGraceMillis() < 0) {
            return reject(commandId, "StopProcess", command.getWorkerId(), command.getJobId(),
                    "graceMillis must not be negative, got " + command.getGraceMillis());
        }
        Worker worker = found.get();
        Optional<RunningProcess> running = table.find(new ProcessKey(worker.workerId(), command.getProcess()));
        if (running.isEmpty()) {
            if (!store.exitReported(worker, command.getProcess())) {
                return reject(commandId, "StopProcess", command.getWorkerId(), command.getJobId(),
                        "worker " + command.getWorkerId() + " has no process " + command.getProcess());
            }
            return DONE; // already exited: its ProcessExited was reported
        }
        Optional<StopRequest> earlier = store.stopRequestOf(worker, command.getProcess());
        if (earlier.isPresent()) {
            return DONE; // the first stop asked for goes on; the exit reporter reports ProcessExited
        }
        StopRequest request = StopRequests.of(command);
        store.recordStopRequested(worker, command.getProcess(), request);
        StopRequests.stop(running.get(), request); // the ladder runs on its own
        return DONE;
    }

    private CompletableFuture<?> destroy(DestroyWorker command, String commandId) throws Exception {
        Optional<Worker> found = store.find(command.getWorkerId());
        if (found.isEmpty()) {
            if (!store.wasDestroyed(command.getWorkerId())) {
                // Never here (or prepared and failed): nothing to do, and the sender learns the worker is gone.
                return events.send(command.getJobId(), commandId, WorkerDestroyed.newBuilder().setNodeId(nodeId)
                        .setWorkerId(command.getWorkerId()).setJobId(command.getJobId()).build());
            }
            return DONE; // destroyed before, and WorkerDestroyed was reported then
        }
        if (store.destroyCommandOf(found.get()).isPresent()) {
            return DONE; // being destroyed: its WorkerDestroyed comes once, when it is gone
        }
        store.recordDestroyRequested(found.get(), commandId);
        destroyer.begin(found.get(), commandId);
        return DONE;
    }

    /**
     * Keeps the operator's order durably before it counts as applied, and has the heartbeat say it at once; the
     * workers running here go on to their end. The same order twice changes nothing.
     */
    private CompletableFuture<?> drain(DrainNode command) throws IOException {
        if (drainOrder.draining() != command.getDraining()
                || !Objects.equals(drainOrder.reason(), command.getReason())) {
            drainOrder.set(command.getDraining(), command.getReason());
            LOG.info("node {} {}{}", nodeId, command.getDraining()
                            ? "drains: it takes no new workers, the running ones finish" : "takes work again",
                    command.getReason() == null ? "" : " (" + command.getReason() + ")");
        }
        drainOrderChanged.run();
        return DONE;
    }

    private boolean beingDestroyed(Worker worker) {
        return store.destroyCommandOf(worker).isPresent();
    }

    private CompletableFuture<?> rejectBeingDestroyed(String commandId, String commandName, Worker worker) {
        return reject(commandId, commandName, worker.workerId(), worker.jobId(),
                "worker " + worker.workerId() + " is being destroyed");
    }

    /** Why the worker cannot take a command of job {@code jobId}, or null when it can. */
    private static String workerProblem(Optional<Worker> worker, String workerId, String jobId) {
        if (worker.isEmpty()) {
            return "this node has no worker " + workerId;
        }
        if (!worker.get().jobId().equals(jobId)) {
            return "worker " + workerId + " serves job " + worker.get().jobId() + ", not " + jobId;
        }
        return null;
    }

    /** Names become file and container names: anything else is rejected before it touches the disk. */
    private static String nameProblem(String workerId, String jobId, String process) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("workerId", workerId);
        names.put("jobId", jobId);
        if (process != null) {
            names.put("process", process);
        }
        for (Map.Entry<String, String> name : names.entrySet()) {
            if (name.getValue() == null || !NAME.matcher(name.getValue()).matches()) {
                return name.getKey() + " '" + name.getValue() + "' " + NAME_RULE;
            }
        }
        return null;
    }

    /** The owner and store name become directories: both must be plain names. */
    private static String storeNameProblem(PrepareWorker command) {
        for (String name : List.of(command.getOwner(), command.getPersistentStore())) {
            if (!NAME.matcher(name).matches()) {
                return "persistent store '" + command.getPersistentStore() + "' of owner '" + command.getOwner()
                        + "': '" + name + "' " + NAME_RULE;
            }
        }
        return null;
    }

    private CompletableFuture<?> reject(String commandId, String commandName, String workerId, String jobId,
                                        String reason) {
        return events.send(jobId, commandId, CommandRejected.newBuilder().setNodeId(nodeId)
                .setCommandEventId(commandId).setCommand(commandName).setWorkerId(workerId).setJobId(jobId)
                .setReason(reason).build());
    }
}
