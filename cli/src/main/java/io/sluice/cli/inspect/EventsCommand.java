package io.sluice.cli.inspect;

import io.sluice.cli.OutputOption;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.cli.jobs.KafkaOptions;
import io.sluice.events.deadletter.DeadLetter;
import io.sluice.schemas.Topic;
import io.sluice.schemas.json.EventJsonEncoder;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice events [TOPIC...]}: the records of Sluice's topics, decoded, one line each. */
@Command(
        name = "events",
        description = {
            "Prints the records of Sluice's topics (the ones named, else all of them), decoded, one line each: time, "
                    + "topic/partition@offset, key, event type and its telling fields; with -o json the record form "
                    + "{topic, partition, offset, timestamp, key, metadata, type, payload}. A record that cannot be "
                    + "decoded is printed as such, with the reason. Reads up to the end of every partition as it "
                    + "is when the command starts (from the beginning, unless --since or --offset say otherwise), "
                    + "then exits; --follow goes on reading new records (from the end, unless told otherwise).",
            "Exit codes: 0 printed, 2 a usage error, 3 no answer (broker unreachable, topics missing), 4 refused."
        },
        sortOptions = false)
public final class EventsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OutputOption output;

    @Parameters(paramLabel = "TOPIC", arity = "0..*",
            description = "Topics to read, by their names without prefix (sluice.job.events) or short (job.events); "
                    + "default: all of Sluice's topics.")
    private List<String> topicNames = new ArrayList<>();

    @Option(names = "--job", paramLabel = "ID",
            description = "Only the records of this job: keyed by it, or whose correlationId is it (a dead letter: "
                    + "whose original is). An undecodable record is shown unless its topic is keyed by job id "
                    + "and its key is another job's.")
    private String jobId;

    @ArgGroup(exclusive = true)
    private StartOption start;

    /** Where to start: one of these at most. */
    static final class StartOption {
        @Option(names = "--from-beginning", description = "Start at the first record the broker still has.")
        boolean fromBeginning;

        @Option(names = "--since", paramLabel = "TIME|DURATION", converter = TimeArgument.class,
                description = "Start at the first record written at or after this time (ISO-8601, "
                        + "2026-12-06T10:15:30Z) or this long ago (10m, 1h30m).")
        Instant since;

        @Option(names = "--offset", paramLabel = "N",
                description = "Start at offset N of every partition read (of --partition's alone when given); "
                        + "kept within what each partition holds.")
        Long offset;
    }

    @Option(names = "--partition", paramLabel = "P", description = "Only partition P of each topic.")
    private Integer partition;

    @Option(names = "--until", paramLabel = "TIME|DURATION", converter = TimeArgument.class,
            description = "Stop reading a partition at its first record written after this time.")
    private Instant until;

    @Option(names = {"-f", "--follow"}, description = "Keep reading new records until interrupted (or --until).")
    private boolean follow;

    @Option(names = "--max", paramLabel = "N", description = "Stop after printing N records.")
    private long max;

    @Override
    public Integer call() {
        List<Topic> topics = topics();
        if (start != null && start.offset != null && start.offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset: must be 0 or more, got " + start.offset);
        }
        if (partition != null && partition < 0) {
            throw new ParameterException(spec.commandLine(), "--partition: must be 0 or more, got " + partition);
        }
        if (max < 0) {
            throw new ParameterException(spec.commandLine(), "--max: must be 1 or more, got " + max);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            TopicScan scan = new TopicScan(kafka);
            if (topicNames.isEmpty()) {
                // All topics: those this login may not read are left out, saying so.
                topics = scan.addReadable(topics, partition, false, null, warning -> {
                    spec.commandLine().getErr().println("sluice events: warning: " + warning);
                    spec.commandLine().getErr().flush();
                });
            } else {
                for (Topic topic : topics) {
                    scan.addTopic(topic, partition);
                }
            }
            long[] printed = {0};
            List<Topic> read = topics;
            scan.read(startOf(), follow, until, max, consumed -> {
                ReadRecord record = ReadRecord.of(scan.topicOf(consumed), consumed);
                if (jobId != null && !ofJob(record)) {
                    return;
                }
                out.println(output.json() ? EventJsonEncoder.text(record.json()) : EventLine.of(record));
                out.flush();
                printed[0]++;
            });
            if (printed[0] == 0 && !output.json()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("sluice events: no records" + (jobId == null ? "" : " of job " + jobId) + " on "
                        + read.stream().map(kafka::nameOf).collect(Collectors.joining(", ")));
                err.flush();
            }
            return JobExitCodes.SUCCEEDED;
        }
    }

    private TopicScan.Start startOf() {
        if (start == null) {
            return follow ? new TopicScan.Start.End() : new TopicScan.Start.Beginning();
        }
        if (start.since != null) {
            return new TopicScan.Start.Since(start.since);
        }
        if (start.offset != null) {
            return new TopicScan.Start.Offset(start.offset);
        }
        return new TopicScan.Start.Beginning();
    }

    private boolean ofJob(ReadRecord record) {
        if (jobId.equals(record.key())) {
            return true;
        }
        if (!record.decoded()) {
            // A record of a topic keyed by job id whose key is another job's is that job's; others may be this one's.
            return record.topic() == null || !record.topic().keyDescription().equals("job id");
        }
        if (jobId.equals(record.metadata().getCorrelationId())) {
            return true;
        }
        if (record.payload() instanceof DeadLetter letter) {
            ReadRecord original = EventLine.original(letter);
            return jobId.equals(original.key()) || (original.decoded()
                    && jobId.equals(original.metadata().getCorrelationId()));
        }
        return false;
    }

    private List<Topic> topics() {
        if (topicNames.isEmpty()) {
            return Arrays.asList(Topic.values());
        }
        List<Topic> topics = new ArrayList<>();
        for (String name : topicNames) {
            String full = name.startsWith("sluice.") ? name : "sluice." + name;
            topics.add(Topic.byName(full).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "TOPIC: '" + name + "' is none of Sluice's topics: " + Arrays.stream(Topic.values())
                            .map(Topic::topicName).collect(Collectors.joining(", ")))));
        }
        return topics;
    }
}
