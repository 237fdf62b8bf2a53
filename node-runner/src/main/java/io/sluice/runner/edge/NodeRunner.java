package io.sluice.runner.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.kafka.EventSender;
import io.sluice.bus.kafka.KafkaSettings;
import io.sluice.bus.metrics.BusMetrics;
import io.sluice.bus.metrics.KafkaClientMeters;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.edge.commands.ApplyNodeCommands;
import io.sluice.runner.edge.commands.DestroyWorkers;
import io.sluice.runner.edge.commands.ExitReporter;
import io.sluice.runner.edge.commands.ProcessOutputs;
import io.sluice.runner.edge.commands.ProcessTable;
import io.sluice.runner.edge.commands.RecoverProcesses;
import io.sluice.runner.publish.NodeEventPublisher;
import io.sluice.runner.publish.NodeHeartbeatPublisher;
import io.sluice.runner.publish.NodeHeartbeats;
import io.sluice.runner.publish.NodeMetrics;
import io.sluice.runner.store.inputs.InputCache;
import io.sluice.runner.store.isolation.network.NetworkSettings;
import io.sluice.runner.store.isolation.network.VethNetworks;
import io.sluice.runner.store.isolation.network.WorkerNetworks;
import io.sluice.runner.store.isolation.process.ProcessIsolation;
import io.sluice.runner.publish.logs.LogShipper;
import io.sluice.runner.store.CommandJournal;
import io.sluice.runner.store.DrainOrder;
import io.sluice.runner.store.WorkerRecords;
import io.sluice.runner.store.resources.ResourceFiles;
import io.sluice.runner.store.resources.ResourceSecrets;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node runner at work: re-adopts the processes it left running, then applies the commands addressed to its
 * node and sends its heartbeats, until it is closed.
 */
public final class NodeRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);
    /** How often what was shipped of each process's output is checkpointed: about what a kill -9 ships twice. */
    private static final Duration LOG_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /**
     * A tombstone only answers a {@code DestroyWorker} sent again for a worker destroyed earlier; past the commands
     * topic's 7-day retention none can come, and without pruning a busy node gathers a file per job for ever.
     */
    private static final Duration TOMBSTONE_AGE = Duration.ofDays(8);
    private static final Duration PRUNING_INTERVAL = Duration.ofHours(1);

    /** Who the node is and what it offers. */
    public record Settings(String nodeId, List<String> targets, int slots, boolean draining, Path stateDir,
                           Duration heartbeatInterval, long logCapBytes, Duration logRetention,
                           Duration inputCacheRetention, String version) {
    }

    private final Settings settings;
    private final ProcessIsolation isolation;
    private final WorkerRecords store;
    private final ProcessTable table = new ProcessTable();
    private final NodeHeartbeats heartbeats;
    private final DrainOrder drainOrder;
    private final List<AutoCloseable> running = new ArrayList<>();

    private NodeRunner(Settings settings, ProcessIsolation isolation, WorkerRecords store, Instant startedAt) {
        this.settings = settings;
        this.isolation = isolation;
        this.store = store;
        // A node drains when its configuration says so, or when the operator's last order says so.
        this.drainOrder = DrainOrder.open(settings.stateDir().resolve("drain-order.properties"));
        this.heartbeats = new NodeHeartbeats(settings.nodeId(), settings.targets(), settings.slots(),
                () -> settings.draining() || drainOrder.draining(), isolation.mode() == IsolationMode.RUNC,
                isolation.cgroupHierarchy(), isolation.warnings(), settings.version(), startedAt,
                settings.heartbeatInterval());
    }

    /** A runner without secret keys: a worker granted a sealed secret fails to be prepared, saying so. */
    public static NodeRunner start(Settings settings, String bootstrapServers, TopicNaming naming,
                                   ProcessIsolation isolation, ServiceHealth health, String producerName,
                                   Clock clock) throws Exception {
        return start(settings, bootstrapServers, naming, isolation, null, health, producerName, clock);
    }

    /**
     * A runner whose workers' networks are the default for its isolation: under runc, each worker that asks for it
     * gets one of its own from the default pool, without further denied destinations.
     *
     * @param sealer opens the sealed secrets of the workers' resources; null when the node has no secret keys
     */
    public static NodeRunner start(Settings settings, String bootstrapServers, TopicNaming naming,
                                   ProcessIsolation isolation, SecretSealer sealer, ServiceHealth health,
                                   String producerName, Clock clock) throws Exception {
        WorkerNetworks networks = isolation.mode() == IsolationMode.RUNC
                ? VethNetworks.open(settings.stateDir(), NetworkSettings.defaults())
                : WorkerNetworks.hostOnly();
        return start(settings, bootstrapServers, Map.of(), naming, isolation, networks, sealer, health, producerName,
                clock);
    }

    /**
     * @param kafkaProperties the operator's Kafka client properties ({@code sluice.kafka.properties.*}), for the
     *                        runner's producer and command consumer
     * @param networks        gives workers networks of their own
     * @param sealer          opens the sealed secrets of the workers' resources; null when the node has no secret keys
     */
    public static NodeRunner start(Settings settings, String bootstrapServers, Map<String, String> kafkaProperties,
                                   TopicNaming naming, ProcessIsolation isolation, WorkerNetworks networks,
                                   SecretSealer sealer, ServiceHealth health, String producerName, Clock clock)
            throws Exception {
        return start(settings, bootstrapServers, kafkaProperties, naming, isolation, networks, sealer, health,
                producerName, clock, new SimpleMeterRegistry());
    }

    /** The runner, its meters in {@code registry} (the service's, which /prometheus shows). */
    public static NodeRunner start(Settings settings, String bootstrapServers, Map<String, String> kafkaProperties,
                                   TopicNaming naming, ProcessIsolation isolation, WorkerNetworks networks,
                                   SecretSealer sealer, ServiceHealth health, String producerName, Clock clock,
                                   MeterRegistry registry) throws Exception {
        NodeMetrics metrics = new NodeMetrics(registry, settings.nodeId());
        isolation.onStopEscalation(metrics::escalated);
        NodeRunner runner = new NodeRunner(settings, isolation, new WorkerRecords(settings.stateDir()),
                clock.instant());
        Producer<byte[], byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, producerName,
                kafkaProperties));
        AutoCloseable producerMeters = KafkaClientMeters.bind(registry, producer, "node-events");
        metrics.processes(runner.table::size);
        EventSender sender = new EventSender(producer, naming);
        NodeEventPublisher events = new NodeEventPublisher(sender, settings.nodeId(), producerName, clock);
        ProcessOutputs outputs = new ProcessOutputs(runner.store, (job, worker, budget) ->
                new LogShipper(sender, job, worker, producerName, clock, budget), settings.logCapBytes());
        ExitReporter exits = new ExitReporter(settings.nodeId(), runner.store, runner.table, events, isolation,
                outputs, clock, metrics);
        DestroyWorkers destroyer = new DestroyWorkers(settings.nodeId(), runner.store, runner.table, outputs, events,
                networks);
        RepeatingTask checkpoints = new RepeatingTask("log-checkpoints", "checkpoint the shipped logs",
                outputs::checkpointAll, LOG_CHECKPOINT_INTERVAL, LOG_CHECKPOINT_INTERVAL);
        InputCache inputs = new InputCache(settings.stateDir().resolve("input-cache"));
        RepeatingTask pruning = new RepeatingTask("state-pruning", "prune old tombstones, job logs and inputs",
                () -> runner.pruneOldState(clock, inputs), Duration.ZERO, PRUNING_INTERVAL);
        networks.reconcile(runner.store.all().stream().filter(worker -> worker.networkNamespace() != null)
                .map(WorkerRecords.Worker::workerId).toList());
        new RecoverProcesses(settings.nodeId(), runner.store, isolation, events, exits, outputs, destroyer).recover();

        SendHeartbeatsTask heartbeats = new SendHeartbeatsTask(new NodeHeartbeatPublisher(sender, producerName, clock),
                runner::heartbeat, settings.heartbeatInterval(), health);
        KafkaConsumer<byte[], byte[]> commandConsumer = new KafkaConsumer<>(KafkaSettings.assignedConsumer(
                bootstrapServers, producerName, kafkaProperties));
        AutoCloseable consumerMeters = KafkaClientMeters.bind(registry, commandConsumer, "node-commands");
        NodeCommandLoop commands = new NodeCommandLoop(settings.nodeId(), naming.nameOf(Topic.NODE_COMMANDS),
                commandConsumer,
                CommandJournal.open(settings.stateDir().resolve("applied-commands.log")),
                new ApplyNodeCommands(settings.nodeId(), runner.store, inputs,
                        new ResourceFiles(new ResourceSecrets(sealer), isolation.jobUser()), isolation, events,
                        runner.table, exits, outputs, destroyer, networks, runner.drainOrder, heartbeats::beatSoon,
                        metrics),
                new DeadLetterSender(sender, producerName, clock, new BusMetrics(registry)), health);
        runner.running.addAll(List.of(commands, consumerMeters, heartbeats, destroyer, exits, checkpoints, pruning,
                () -> lastCheckpoints(outputs, producer), producerMeters, producer::close));
        heartbeats.start();
        checkpoints.start();
        pruning.start();
        commands.start();
        LOG.info("node {} runs: targets {}, {} slots, isolation {}{}", settings.nodeId(), settings.targets(),
                settings.slots(), isolation.mode(), settings.draining() ? ", draining (its configuration says so)"
                        : runner.drainOrder.draining() ? ", draining (ordered: " + runner.drainOrder.reason() + ")" : "");
        return runner;
    }

    private void pruneOldState(Clock clock, InputCache inputs) {
        try {
            int tombstones = store.pruneTombstones(clock.instant().minus(TOMBSTONE_AGE));
            if (tombstones > 0) {
                LOG.info("pruned {} tombstone(s) of workers destroyed more than {} ago", tombstones, TOMBSTONE_AGE);
            }
            int logs = store.pruneJobLogs(clock.instant().minus(settings.logRetention()));
            if (logs > 0) {
                LOG.info("pruned the logs of {} job(s) with no worker here, untouched for more than {}", logs,
                        settings.logRetention());
            }
            int evicted = inputs.evictUnused(clock.instant().minus(settings.inputCacheRetention()));
            if (evicted > 0) {
                LOG.info("evicted {} cached input(s) no worker held for more than {}", evicted,
                        settings.inputCacheRetention());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    NodeHeartbeat heartbeat() {
        List<String> workers = new ArrayList<>();
        try {
            store.all().forEach(worker -> workers.add(worker.workerId()));
        } catch (Exception e) {
            // No heartbeat rather than one listing no workers: the factory takes an unlisted worker as lost.
            throw new IllegalStateException("cannot list the node's workers for its heartbeat: " + e, e);
        }
        return heartbeats.of(workers, table.size());
    }

    /** What was shipped is checkpointed once the producer sent it all, so that the next runner repeats nothing. */
    private static void lastCheckpoints(ProcessOutputs outputs, Producer<byte[], byte[]> producer) {
        outputs.stopAccepting();
        producer.flush();
        outputs.checkpointAll();
    }

    /** Stops reading commands and sending heartbeats; the job processes keep running and are adopted on restart. */
    @Override
    public void close() throws Exception {
        for (AutoCloseable component : running) {
            component.close();
        }
    }
}
