package io.sluice.cli.replay;

import io.sluice.schemas.Topic;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a job's recorded inputs back in the order job-service applied them. What is certain: each partition was read
 * in offset order, and an input that made job events came before one whose job events come later on the job's
 * partition of sluice.job.events (each output names its input by causationId). Between partitions, an input that
 * made no job event is placed by time: when job-service stamped what it made, else when the input was stamped.
 */
final class ReplayOrder {

    private ReplayOrder() {
    }

    /** The order, and the recorded outputs whose cause is no input found ({@link #unexplained}). */
    record Result(List<ReplayInput> inputs, List<RecordedEvent> unexplained) {
    }

    private record Placed(ReplayInput input, Long anchor, Instant processedAt) {
    }

    static Result of(JobRecording recording) {
        Map<String, List<RecordedEvent>> byCause = new HashMap<>();
        List<RecordedEvent> uncaused = new ArrayList<>();
        for (RecordedEvent output : recording.outputs) {
            if (output.causationId() == null) {
                uncaused.add(output);
            } else {
                byCause.computeIfAbsent(output.causationId(), cause -> new ArrayList<>()).add(output);
            }
        }
        Set<String> inputIds = new HashSet<>();
        Map<String, Deque<Placed>> queues = new LinkedHashMap<>();
        recording.inputs.stream().sorted(Comparator.comparing(RecordedEvent::topicName)
                        .thenComparingInt(RecordedEvent::partition).thenComparingLong(RecordedEvent::offset))
                .forEach(event -> {
                    inputIds.add(event.eventId());
                    List<RecordedEvent> caused = byCause.getOrDefault(event.eventId(), List.of());
                    queues.computeIfAbsent(event.topicName() + "-" + event.partition(), q -> new ArrayDeque<>())
                            .add(placed(new ReplayInput(event, null, caused), event.metadata().getOccurredAt()));
                });
        if (!uncaused.isEmpty()) {
            Instant firedAt = uncaused.stream().map(e -> e.metadata().getOccurredAt()).min(Comparator.naturalOrder())
                    .orElseThrow();
            queues.computeIfAbsent("timer", q -> new ArrayDeque<>())
                    .add(placed(new ReplayInput(null, firedAt, uncaused), firedAt));
        }
        List<RecordedEvent> unexplained = recording.outputs.stream()
                .filter(o -> o.causationId() != null && !inputIds.contains(o.causationId())).toList();
        return new Result(merge(queues), unexplained);
    }

    private static Placed placed(ReplayInput input, Instant stampedAt) {
        Long anchor = input.recorded().stream().filter(e -> e.topic() == Topic.JOB_EVENTS)
                .map(RecordedEvent::offset).min(Comparator.naturalOrder()).orElse(null);
        Instant processedAt = input.recorded().stream().map(e -> e.metadata().getOccurredAt())
                .min(Comparator.naturalOrder()).orElse(stampedAt);
        return new Placed(input, anchor, processedAt);
    }

    /**
     * Takes the heads of the queues one at a time: of those free to go (no job event, or the earliest job events
     * left), the one job-service handled first by time.
     */
    private static List<ReplayInput> merge(Map<String, Deque<Placed>> queues) {
        List<ReplayInput> order = new ArrayList<>();
        while (queues.values().stream().anyMatch(q -> !q.isEmpty())) {
            Long nextAnchor = queues.values().stream().flatMap(Deque::stream).map(Placed::anchor)
                    .filter(a -> a != null).min(Comparator.naturalOrder()).orElse(null);
            Deque<Placed> chosen = null;
            for (Deque<Placed> queue : queues.values()) {
                if (queue.isEmpty()) {
                    continue;
                }
                Placed head = queue.peek();
                boolean free = head.anchor() == null || head.anchor().equals(nextAnchor);
                if (free && (chosen == null || head.processedAt().isBefore(chosen.peek().processedAt()))) {
                    chosen = queue;
                }
            }
            if (chosen == null) {
                // The records contradict themselves (no head is free): take the earliest job events left.
                chosen = queues.values().stream().filter(q -> !q.isEmpty())
                        .min(Comparator.comparing(q -> q.peek().anchor())).orElseThrow();
            }
            order.add(chosen.poll().input());
        }
        return order;
    }
}
