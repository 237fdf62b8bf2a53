package io.sluice.runner.edge.commands;

import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.store.isolation.process.RunningProcess;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes whose exit this runner has yet to report. The isolation layer tracks a process until it is
 * forgotten; this table tracks it until its exit is on the broker, which is what destroying a worker waits for.
 */
public final class ProcessTable {

    private record Entry(RunningProcess process, CompletableFuture<Void> reported) {
    }

    private final Map<ProcessKey, Entry> unreported = new ConcurrentHashMap<>();

    void watch(ProcessKey key, RunningProcess process) {
        unreported.put(key, new Entry(process, new CompletableFuture<>()));
    }

    void reported(ProcessKey key) {
        Entry entry = unreported.remove(key);
        if (entry != null) {
            entry.reported().complete(null);
        }
    }

    Optional<RunningProcess> find(ProcessKey key) {
        return Optional.ofNullable(unreported.get(key)).map(Entry::process);
    }

    List<RunningProcess> ofWorker(String workerId) {
        return unreported.entrySet().stream().filter(e -> e.getKey().workerId().equals(workerId))
                .map(e -> e.getValue().process()).toList();
    }

    /** Completes once the exit of every process of the worker watched now is reported. */
    CompletableFuture<Void> allReported(String workerId) {
        return CompletableFuture.allOf(unreported.entrySet().stream()
                .filter(e -> e.getKey().workerId().equals(workerId))
                .map(e -> e.getValue().reported())
                .toArray(CompletableFuture[]::new));
    }

    public int size() {
        return unreported.size();
    }
}
