package io.sluice.cli.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.CliFailure;
import io.sluice.cli.OutputOption;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.cli.jobs.KafkaOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice admin reset-offsets}: moves a stopped service's consumer groups back to the beginning of their topics
 * or to a time, so that it reads them again when it starts; a group with live members is left alone.
 */
@Command(
        name = "reset-offsets",
        description = {
            "Sets the committed offsets of a service's consumer groups (those named '<prefix><service>.*' on the "
                    + "broker) to the beginning of each partition (--to-earliest) or to the first record at or after "
                    + "a time (--to TIME), so that the service reads its topics again from there when it starts. "
                    + "Nothing runs twice: each service remembers the events it handled (longer than the topics keep "
                    + "them) and skips them. Stop the service first: a group with live members is refused.",
            "Exit codes: 0 reset (or shown, with --dry-run), 1 refused (a group has live members, or the service "
                    + "has no group), 2 usage error, 3 no answer from the broker, 4 the broker refused."
        },
        sortOptions = false)
public final class ResetOffsetsCommand implements Callable<Integer> {

    /** The services that read through consumer groups; node-runner reads assigned partitions. */
    static final List<String> SERVICES = List.of("job-service", "resource-well", "worker-factory");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OutputOption output;

    @Option(names = "--service", required = true, paramLabel = "SERVICE",
            description = "The service whose groups to reset: job-service, resource-well or worker-factory.")
    private String service;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    /** Where to: the beginning, or a time. */
    static final class Target {
        @Option(names = "--to-earliest", description = "The beginning of every partition (what the topic still has).")
        boolean earliest;

        @Option(names = "--to", paramLabel = "TIME",
                description = "The first record at or after TIME (ISO-8601, e.g. 2026-12-06T15:00:00Z); the end of a "
                        + "partition with none.")
        String time;
    }

    @Option(names = "--dry-run", description = "Show what would be reset, change nothing.")
    private boolean dryRun;

    /** One partition's move. */
    private record Move(String group, TopicPartition partition, Long committed, long target) {
    }

    @Override
    public Integer call() throws Exception {
        if (service.equals("node-runner")) {
            throw new ParameterException(spec.commandLine(), "--service: node-runner has no consumer group (it "
                    + "reads the partitions assigned to it and keeps its own place): nothing to reset");
        }
        if (!SERVICES.contains(service)) {
            throw new ParameterException(spec.commandLine(), "--service: '" + service + "' is no Sluice service "
                    + "with consumer groups; one of " + String.join(", ", SERVICES));
        }
        Instant at = parseTime();
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            Admin admin = kafka.admin();
            String prefix = kafka.naming().prefix() + service + ".";
            List<String> groups = call(kafka, () -> admin.listGroups().all().get(timeout(), TimeUnit.SECONDS)
                    .stream().map(g -> g.groupId()).filter(id -> id.startsWith(prefix)).sorted().toList());
            if (groups.isEmpty()) {
                throw new CliFailure("the broker at " + kafka.bootstrapServers() + " has no consumer group '"
                        + prefix + "*': has " + service + " run there (it makes them on its first read), and is the "
                        + "topic prefix right (now '" + kafka.naming().prefix() + "')?");
            }
            refuseLiveGroups(kafka, admin, groups);
            List<Move> moves = new ArrayList<>();
            for (String group : groups) {
                moves.addAll(movesOf(kafka, admin, group, at));
            }
            if (!dryRun) {
                for (String group : groups) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    moves.stream().filter(m -> m.group().equals(group))
                            .forEach(m -> offsets.put(m.partition(), new OffsetAndMetadata(m.target())));
                    call(kafka, () -> admin.alterConsumerGroupOffsets(group, offsets).all()
                            .get(timeout(), TimeUnit.SECONDS));
                }
            }
            print(out, moves);
        }
        return JobExitCodes.SUCCEEDED;
    }

    private Instant parseTime() {
        if (target.earliest) {
            return null;
        }
        try {
            return Instant.parse(target.time.strip());
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--to: '" + target.time + "' is no time: write it as "
                    + "ISO-8601 in UTC, e.g. 2026-12-06T15:00:00Z");
        }
    }

    /** A group with members is a running service: its members would overwrite the reset with their own commits. */
    private void refuseLiveGroups(KafkaConnection kafka, Admin admin, List<String> groups) {
        Map<String, ConsumerGroupDescription> described = call(kafka, () -> admin.describeConsumerGroups(groups)
                .all().get(timeout(), TimeUnit.SECONDS));
        List<String> live = new ArrayList<>();
        for (String group : groups) {
            ConsumerGroupDescription description = described.get(group);
            if (description != null && !description.members().isEmpty()) {
                Set<String> hosts = new TreeSet<>();
                description.members().forEach(m -> hosts.add(m.clientId() + "@" + m.host()));
                live.add(group + " (" + description.members().size() + " member"
                        + (description.members().size() == 1 ? "" : "s") + ": " + String.join(", ", hosts) + ")");
            }
        }
        if (!live.isEmpty()) {
            throw new CliFailure("refused: " + service + " is running: its group" + (live.size() == 1 ? " " : "s ")
                    + String.join("; ", live) + " " + (live.size() == 1 ? "has" : "have") + " live members, which "
                    + "would commit their own offsets over the reset. Stop every instance of " + service
                    + " and run this again.");
        }
    }

    private List<Move> movesOf(KafkaConnection kafka, Admin admin, String group, Instant at) {
        Map<TopicPartition, OffsetAndMetadata> committed = call(kafka, () -> admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout(), TimeUnit.SECONDS));
        Set<String> topics = new TreeSet<>();
        committed.keySet().forEach(p -> topics.add(p.topic()));
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (TopicPartition partition : partitionsOf(kafka, admin, topics)) {
            wanted.put(partition, at == null ? OffsetSpec.earliest() : OffsetSpec.forTimestamp(at.toEpochMilli()));
            ends.put(partition, OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> found = call(kafka, () -> admin.listOffsets(wanted).all()
                .get(timeout(), TimeUnit.SECONDS));
        Map<TopicPartition, ListOffsetsResultInfo> end = call(kafka, () -> admin.listOffsets(ends).all()
                .get(timeout(), TimeUnit.SECONDS));
        List<Move> moves = new ArrayList<>();
        List<TopicPartition> inOrder = wanted.keySet().stream().sorted(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition)).toList();
        for (TopicPartition partition : inOrder) {
            long offset = found.get(partition).offset();
            // No record at or after the time: the end of the partition (nothing to read again there).
            long target = offset < 0 ? end.get(partition).offset() : offset;
            OffsetAndMetadata now = committed.get(partition);
            moves.add(new Move(group, partition, now == null ? null : now.offset(), target));
        }
        return moves;
    }

    private Collection<TopicPartition> partitionsOf(KafkaConnection kafka, Admin admin, Set<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        var descriptions = call(kafka, () -> admin.describeTopics(topics).allTopicNames()
                .get(timeout(), TimeUnit.SECONDS));
        descriptions.forEach((topic, description) -> description.partitions()
                .forEach(info -> partitions.add(new TopicPartition(topic, info.partition()))));
        return partitions;
    }

    private void print(PrintWriter out, List<Move> moves) throws Exception {
        for (Move move : moves) {
            if (output.json()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("group", move.group());
                line.put("topic", move.partition().topic());
                line.put("partition", move.partition().partition());
                line.put("committed", move.committed());
                line.put("reset", move.target());
                line.put("dryRun", dryRun);
                out.println(JSON.writeValueAsString(line));
            } else {
                out.println(move.group() + "  " + move.partition() + "  " + (move.committed() == null ? "-"
                        : move.committed()) + " -> " + move.target());
            }
        }
        if (!output.json()) {
            long groups = moves.stream().map(Move::group).distinct().count();
            out.println((dryRun ? "would reset " : "reset ") + moves.size() + " partitions of " + groups + " group"
                    + (groups == 1 ? "" : "s") + " of " + service + (target.earliest ? " to the earliest offsets"
                    : " to " + target.time) + (dryRun ? " (dry run: nothing changed)"
                    : "; start " + service + " to read from there"));
        }
        out.flush();
    }

    private static long timeout() {
        return KafkaConnection.CLIENT_TIMEOUT.toSeconds() * 2;
    }

    /** A request to the broker, its failure turned into the command's one line. */
    private static <T> T call(KafkaConnection kafka, BrokerRequest<T> request) {
        try {
            return request.get();
        } catch (ExecutionException e) {
            throw kafka.failures().of("the broker failed a request", e.getCause(), "administer", null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw kafka.failures().unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted", e, JobExitCodes.NO_ANSWER);
        }
    }

    /** A blocking request to the broker. */
    @FunctionalInterface
    private interface BrokerRequest<T> {
        T get() throws ExecutionException, java.util.concurrent.TimeoutException, InterruptedException;
    }
}
