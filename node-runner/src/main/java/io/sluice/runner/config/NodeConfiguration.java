package io.sluice.runner.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.store.isolation.network.NetworkSettings;
import io.sluice.runner.store.isolation.process.NodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The `sluice.node.*` settings of a node runner: who it is, what it serves, where it keeps state, how it isolates. */
@ConfigurationProperties("sluice.node")
public class NodeConfiguration {

    @Nullable
    private String id;
    private List<String> targets = List.of("linux");
    private int slots = Runtime.getRuntime().availableProcessors();
    private Path stateDir = Path.of("node-runner-state");
    @Nullable
    private Path runtimeDir;
    private IsolationMode isolation = IsolationMode.RUNC;
    private Path runc = Path.of("/usr/sbin/runc");
    private Path tini = Path.of("/usr/bin/tini-static");
    private Duration heartbeatInterval = Duration.ofSeconds(3);
    private long logCapBytes = 64L * 1024 * 1024;
    private long logQuotaBytes = NodeSettings.DEFAULT_LOG_QUOTA_BYTES;
    private Duration logRetention = Duration.ofDays(7);
    private Duration inputCacheRetention = Duration.ofDays(7);
    private boolean draining;
    private String networkPool = NetworkSettings.DEFAULT_POOL;
    private List<String> networkDeniedDestinations = List.of();
    private List<Integer> hostPortsForJobs = List.of();
    private List<String> hiddenPaths = NodeSettings.DEFAULT_HIDDEN_PATHS;

    @Nullable public String getId() { return id; }
    public void setId(@Nullable String id) { this.id = id; }
    public List<String> getTargets() { return targets; }
    public void setTargets(List<String> targets) { this.targets = targets; }
    public int getSlots() { return slots; }
    public void setSlots(int slots) { this.slots = slots; }
    public Path getStateDir() { return stateDir; }
    public void setStateDir(Path stateDir) { this.stateDir = stateDir; }
    @Nullable public Path getRuntimeDir() { return runtimeDir; }
    public void setRuntimeDir(@Nullable Path runtimeDir) { this.runtimeDir = runtimeDir; }
    /** runc (the default: refuses to start without it), none (a laptop), or auto (runc where the host allows). */
    public IsolationMode getIsolation() { return isolation; }
    public void setIsolation(IsolationMode isolation) { this.isolation = isolation; }
    public Path getRunc() { return runc; }
    public void setRunc(Path runc) { this.runc = runc; }
    public Path getTini() { return tini; }
    public void setTini(Path tini) { this.tini = tini; }
    public Duration getHeartbeatInterval() { return heartbeatInterval; }
    public void setHeartbeatInterval(Duration heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
    public long getLogCapBytes() { return logCapBytes; }
    public void setLogCapBytes(long logCapBytes) { this.logCapBytes = logCapBytes; }
    /** The size of each job's log directory under runc (a tmpfs): its output and files beyond it get ENOSPC. */
    public long getLogQuotaBytes() { return logQuotaBytes; }
    public void setLogQuotaBytes(long logQuotaBytes) { this.logQuotaBytes = logQuotaBytes; }
    public Duration getLogRetention() { return logRetention; }
    public void setLogRetention(Duration logRetention) { this.logRetention = logRetention; }
    public Duration getInputCacheRetention() { return inputCacheRetention; }
    public void setInputCacheRetention(Duration retention) { this.inputCacheRetention = retention; }
    public boolean isDraining() { return draining; }
    public void setDraining(boolean draining) { this.draining = draining; }
    public String getNetworkPool() { return networkPool; }
    public void setNetworkPool(String networkPool) { this.networkPool = networkPool; }
    public List<String> getNetworkDeniedDestinations() { return networkDeniedDestinations; }
    public void setNetworkDeniedDestinations(List<String> denied) { this.networkDeniedDestinations = denied; }
    public List<Integer> getHostPortsForJobs() { return hostPortsForJobs; }
    public void setHostPortsForJobs(List<Integer> ports) { this.hostPortsForJobs = ports; }
    public List<String> getHiddenPaths() { return hiddenPaths; }
    public void setHiddenPaths(List<String> hiddenPaths) { this.hiddenPaths = hiddenPaths; }
}
