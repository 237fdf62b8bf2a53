package io.sluice.runner.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.bus.micronaut.SecretKeysConfiguration;
import io.micronaut.context.annotation.Context;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.micronaut.SluiceConfiguration;
import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.runner.publish.NodeHeartbeats;
import io.sluice.runner.domain.IsolationFacts;
import io.sluice.runner.store.isolation.process.Availability;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.store.isolation.network.NetworkSettings;
import io.sluice.runner.store.isolation.network.VethNetworks;
import io.sluice.runner.store.isolation.network.WorkerNetworks;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.ProcessIsolation;
import io.sluice.runner.store.isolation.runc.RuncIsolation;
import io.sluice.runner.store.isolation.shim.UnisolatedProcesses;
import io.sluice.runner.edge.NodeRunner;
import io.sluice.schemas.TopicNaming;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node runner once the topics exist and stops it with the service. It refuses to start without what runc
 * isolation needs unless isolation is set to none or auto, and then says loudly that it runs without.
 */
@Context
public class NodeRunnerLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRunnerLifecycle.class);

    private final NodeConfiguration node;
    private ProcessIsolation isolation;
    private WorkerNetworks networks;
    private final MeterRegistry registry;
    private NodeRunner runner;

    public NodeRunnerLifecycle(NodeConfiguration node, SecretKeysConfiguration secretKeys, SluiceConfiguration sluice,
                               BusSupervisor supervisor, ServiceHealth health, Clock clock, MeterRegistry registry)
            throws Exception {
        this.node = node;
        this.registry = registry;
        SecretSealer sealer = sealer(secretKeys);
        chooseIsolation();
        String nodeId = node.getId() != null ? node.getId() : InetAddress.getLocalHost().getHostName();
        NodeRunner.Settings settings = new NodeRunner.Settings(nodeId, node.getTargets(), node.getSlots(),
                node.isDraining(), node.getStateDir().toAbsolutePath(), node.getHeartbeatInterval(),
                node.getLogCapBytes(), node.getLogRetention(), node.getInputCacheRetention(), version());
        String producer = sluice.getServiceName() + "/" + nodeId;
        supervisor.whenRunning(() -> start(settings, sluice, sealer, health, producer, clock));
    }

    /** What opens the resources' sealed secrets; null without keys, and then a sealed secret fails its worker. */
    private static SecretSealer sealer(SecretKeysConfiguration keys) {
        if (keys.getKeys().isEmpty()) {
            LOG.info("no secret keys (sluice.secrets.keys): workers granted a sealed secret will fail to prepare");
            return null;
        }
        try {
            return new SecretSealer(SecretKeyRing.of(keys.getKeys(), keys.getCurrentKey()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("node-runner refuses to start: sluice.secrets: " + e.getMessage());
        }
    }

    /**
     * The isolation the node asked for: RUNC refuses to start without what runc needs, NONE runs unisolated, AUTO
     * probes and runs as RUNC when nothing is missing, else unisolated with one line saying what is missing. The
     * workers' networks come with runc isolation: AUTO also falls back when they cannot be set up.
     */
    private void chooseIsolation() throws Exception {
        Path stateDir = node.getStateDir().toAbsolutePath().normalize();
        IsolationMode requested = node.getIsolation();
        LOG.info("cgroup hierarchy {}", RuncIsolation.describeCgroups());
        String autoWarning = null;
        if (requested == IsolationMode.AUTO) {
            IsolationFacts.Verdict verdict = RuncIsolation.probe(node.getRunc(), node.getTini(),
                    NodeSettings.defaults().cgroupParent()).verdict();
            if (verdict.isolated()) {
                try {
                    this.networks = networks(stateDir);
                    LOG.info("isolation auto: runc, tini, root, cgroups and the networks' tools are here: jobs run "
                            + "isolated under runc");
                } catch (IOException e) {
                    autoWarning = "isolation is NONE (job processes run as plain host processes): the jobs' networks "
                            + "cannot be set up (" + e.getMessage().lines().findFirst().orElse("") + "); to isolate "
                            + "jobs, make nft and ip work for the runner (see node-runner/README.md)";
                }
            } else {
                autoWarning = verdict.warning();
            }
        }
        if (requested == IsolationMode.NONE || autoWarning != null) {
            Path runtimeRoot = RuntimeRoot.of(node.getRuntimeDir(), IsolationMode.NONE, stateDir);
            LOG.info("processes' state lives in {}, the node's in {}", runtimeRoot, stateDir);
            LOG.warn("!!! {}", autoWarning != null ? autoWarning : NodeHeartbeats.UNISOLATED_WARNING);
            this.networks = WorkerNetworks.hostOnly();
            this.isolation = new UnisolatedProcesses(stateDir.resolve("isolation"), runtimeRoot,
                    NodeSettings.defaults(), autoWarning == null ? List.of() : List.of(autoWarning));
            return;
        }
        Path runtimeRoot = RuntimeRoot.of(node.getRuntimeDir(), IsolationMode.RUNC, stateDir);
        LOG.info("processes' state lives in {}, the node's in {}", runtimeRoot, stateDir);
        if (!RuntimeRoot.onTmpfs(runtimeRoot)) {
            LOG.warn("the processes' state in {} is not on a tmpfs: every launch creates and removes its files on "
                    + "disk, which is slower; set sluice.node.runtime-dir to a directory on a tmpfs", runtimeRoot);
        }
        if (requested == IsolationMode.RUNC) {
            Availability availability = RuncIsolation.available(node.getRunc(), node.getTini());
            if (!availability.available()) {
                throw new IllegalStateException("node-runner refuses to start: " + availability.reason()
                        + " (sluice.node.isolation, SLUICE_NODE_ISOLATION; none runs job processes without "
                        + "isolation on a laptop, auto does where isolation is not possible)");
            }
        }
        NodeSettings settings;
        try {
            settings = NodeSettings.defaults().withLogQuotaBytes(node.getLogQuotaBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("node-runner refuses to start: sluice.node.log-quota-bytes: "
                    + e.getMessage());
        }
        // The runner's own state (its journal, the workers' secrets) and runtime dirs are hidden from jobs too,
        // should an operator put them under a directory the jobs see (/etc, /usr, ...).
        List<String> hidden = new ArrayList<>(node.getHiddenPaths());
        hidden.add(stateDir.toString());
        hidden.add(runtimeRoot.toString());
        this.isolation = new RuncIsolation(stateDir.resolve("isolation"), runtimeRoot, node.getRunc(),
                node.getTini(), settings.withHiddenPaths(hidden));
        if (this.networks == null) {
            this.networks = networks(stateDir);
        }
    }

    /** Under runc, each worker gets a network of its own unless its job was allowed the host's. */
    private WorkerNetworks networks(Path stateDir) throws IOException {
        NetworkSettings settings;
        try {
            settings = new NetworkSettings(node.getNetworkPool(), node.getNetworkDeniedDestinations(),
                    node.getHostPortsForJobs());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("node-runner refuses to start: " + e.getMessage());
        }
        return VethNetworks.open(stateDir, settings);
    }

    private synchronized void start(NodeRunner.Settings settings, SluiceConfiguration sluice, SecretSealer sealer,
                                    ServiceHealth health, String producer, Clock clock) {
        try {
            runner = NodeRunner.start(settings, sluice.getKafka().getBootstrapServers(),
                    sluice.getKafka().getProperties(), new TopicNaming(sluice.getTopicPrefix()), isolation, networks,
                    sealer, health, producer, clock, registry);
        } catch (Exception e) {
            health.report("node runner", io.sluice.bus.health.ComponentState.down("cannot start: " + e));
        }
    }

    private static String version() {
        String version = NodeRunnerLifecycle.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The job processes keep running (a restarted runner adopts them); the isolation lets go of its directories. */
    @PreDestroy
    synchronized void stop() throws Exception {
        try {
            if (runner != null) {
                runner.close();
            }
        } finally {
            isolation.close();
        }
    }
}
