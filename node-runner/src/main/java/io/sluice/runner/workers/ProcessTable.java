package io.sluice.runner.workers;

import io.sluice.runner.isolation.ProcessKey;
import io.sluice.runner.isolation.RunningProcess;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The processes this runner watches right now, and which of them it was asked to stop. */
public final class ProcessTable {

    private final Map<ProcessKey, RunningProcess> running = new ConcurrentHashMap<>();
    private final Set<ProcessKey> stopRequested = ConcurrentHashMap.newKeySet();

    void watch(ProcessKey key, RunningProcess process) {
        running.put(key, process);
    }

    void exited(ProcessKey key) {
        running.remove(key);
    }

    Optional<RunningProcess> find(ProcessKey key) {
        return Optional.ofNullable(running.get(key));
    }

    List<Map.Entry<ProcessKey, RunningProcess>> ofWorker(String workerId) {
        return running.entrySet().stream().filter(e -> e.getKey().workerId().equals(workerId)).toList();
    }

    void markStopRequested(ProcessKey key) {
        stopRequested.add(key);
    }

    boolean wasStopRequested(ProcessKey key) {
        return stopRequested.contains(key);
    }

    public int size() {
        return running.size();
    }
}
