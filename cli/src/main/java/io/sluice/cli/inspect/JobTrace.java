package io.sluice.cli.inspect;

import io.sluice.events.EventMetadata;
import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.logs.LogChunk;
import io.sluice.schemas.Topic;
import io.sluice.schemas.json.EventJsonEncoder;
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
 * Collects one job's records from every topic and orders them by causation: each record under the record whose
 * eventId is its causationId, siblings by time; records whose cause is not among the job's (the requests) are roots.
 * Log chunks are counted per step and stream, not kept; an event read twice (re-sent after a crash) is kept once.
 */
final class JobTrace {

    /** At most this many undecodable records are listed (all are counted). */
    static final int UNDECODABLE_LISTED = 20;

    private static final Comparator<TraceEntry> BY_TIME = Comparator.comparing(TraceEntry::at)
            .thenComparing(entry -> entry.place().topic()).thenComparing(entry -> entry.place().offset());

    private final String jobId;
    private final boolean json;
    private final Map<String, TraceEntry> byEventId = new LinkedHashMap<>();
    private final Map<String, LogCount> logs = new LinkedHashMap<>();
    private final List<String> undecodable = new ArrayList<>();
    private final List<String> leftOut = new ArrayList<>();
    private int undecodableCount;
    private int duplicates;
    private Instant submittedAt;

    JobTrace(String jobId, boolean json) {
        this.jobId = jobId;
        this.json = json;
    }

    /** Output of one step on one stream: how many chunks and bytes. */
    record LogCount(String process, String stream, long chunks, long bytes) {
    }

    /** One record of the trace in the order printed: how deep under its roots, and its cause (null for a root). */
    record Placed(TraceEntry entry, TraceEntry cause, int depth) {
    }

    /** Takes a record if it is the job's: keyed by the job, of its correlation, or a dead letter of one of those. */
    void offer(ReadRecord record) {
        if (!record.decoded()) {
            if (jobId.equals(record.key()) && !record.tombstone()) {
                undecodableCount++;
                if (undecodable.size() < UNDECODABLE_LISTED) {
                    undecodable.add(EventLine.of(record));
                }
            }
            return;
        }
        EventMetadata metadata = record.metadata();
        if (!jobId.equals(record.key()) && !jobId.equals(metadata.getCorrelationId()) && !deadLetterOfJob(record)) {
            return;
        }
        if (record.payload() instanceof LogChunk chunk) {
            logs.merge(chunk.getProcess() + "/" + chunk.getStream(), new LogCount(chunk.getProcess(),
                    chunk.getStream().name(), 1, chunk.getData().remaining()), (a, b) -> new LogCount(a.process(),
                    a.stream(), a.chunks() + 1, a.bytes() + b.bytes()));
            return;
        }
        String eventId = metadata.getEventId().toString();
        if (byEventId.containsKey(eventId)) {
            duplicates++;
            return;
        }
        Instant at = metadata.getOccurredAt();
        if (record.payload() instanceof JobSubmitted && submittedAt == null) {
            // The client stamps occurredAt before its producer is ready; the record's timestamp is when it was
            // sent (or, with LogAppendTime, received): the later of the two is the submission.
            Instant sent = record.place().timestamp();
            at = sent != null && sent.isAfter(at) ? sent : at;
            submittedAt = at;
        }
        String shown = json ? EventJsonEncoder.text(record.json())
                : record.type() + EventLine.fields(record.payload(), record.key());
        byEventId.put(eventId, new TraceEntry(eventId, metadata.getCausationId(), at, metadata.getProducer(),
                record.place(), record.type(), shown));
    }

    private boolean deadLetterOfJob(ReadRecord record) {
        if (!(record.payload() instanceof DeadLetter letter)) {
            return false;
        }
        ReadRecord original = EventLine.original(letter);
        return jobId.equals(original.key()) || (original.decoded()
                && jobId.equals(original.metadata().getCorrelationId()));
    }

    boolean isEmpty() {
        return byEventId.isEmpty() && logs.isEmpty() && undecodableCount == 0;
    }

    /** When the job was submitted: its JobSubmitted as sent, else its first record's time. */
    Instant submittedAt() {
        if (submittedAt != null) {
            return submittedAt;
        }
        return byEventId.values().stream().map(TraceEntry::at).min(Comparator.naturalOrder()).orElse(null);
    }

    /** Every record in causal order: depth first from the roots, siblings by time. */
    List<Placed> ordered() {
        Map<String, List<TraceEntry>> children = new HashMap<>();
        List<TraceEntry> roots = new ArrayList<>();
        for (TraceEntry entry : byEventId.values()) {
            String cause = entry.causationId();
            if (cause != null && byEventId.containsKey(cause) && !cause.equals(entry.eventId())) {
                children.computeIfAbsent(cause, key -> new ArrayList<>()).add(entry);
            } else {
                roots.add(entry);
            }
        }
        children.values().forEach(list -> list.sort(BY_TIME));
        roots.sort(BY_TIME);
        List<Placed> ordered = new ArrayList<>(byEventId.size());
        Set<String> visited = new HashSet<>();
        // Depth first without recursion: a job of thousands of steps is a causal chain thousands deep.
        Deque<Placed> stack = new ArrayDeque<>();
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.push(new Placed(roots.get(i), null, 0));
        }
        while (!stack.isEmpty()) {
            Placed placed = stack.pop();
            if (!visited.add(placed.entry().eventId())) {
                continue;
            }
            ordered.add(placed);
            List<TraceEntry> under = children.getOrDefault(placed.entry().eventId(), List.of());
            for (int i = under.size() - 1; i >= 0; i--) {
                stack.push(new Placed(under.get(i), placed.entry(), placed.depth() + 1));
            }
        }
        // A cycle of causes (impossible unless ids were forged) leaves records unvisited: list them as roots.
        byEventId.values().stream().filter(entry -> !visited.contains(entry.eventId())).sorted(BY_TIME)
                .forEach(entry -> ordered.add(new Placed(entry, null, 0)));
        return ordered;
    }

    /** The first record of a type, by time, or null. */
    TraceEntry first(String type) {
        return byEventId.values().stream().filter(entry -> entry.type().equals(type)).min(BY_TIME).orElse(null);
    }

    /** The last record of any of the types, by time, or null. */
    TraceEntry last(Set<String> types) {
        return byEventId.values().stream().filter(entry -> types.contains(entry.type())).max(BY_TIME).orElse(null);
    }

    /** Notes a topic the trace could not read (the broker refused), with why. */
    void leftOut(String topicAndWhy) {
        leftOut.add(topicAndWhy);
    }

    List<String> leftOut() {
        return leftOut;
    }

    List<LogCount> logs() {
        return List.copyOf(logs.values());
    }

    List<String> undecodable() {
        return undecodable;
    }

    int undecodableCount() {
        return undecodableCount;
    }

    int duplicates() {
        return duplicates;
    }

    /** Whether the topic is keyed by job id, so that the job's records are all on the partition its id hashes to. */
    static boolean keyedByJob(Topic topic) {
        return topic.keyDescription().equals("job id");
    }
}
