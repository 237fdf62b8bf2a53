package io.sluice.cli.inspect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.sluice.cli.CliFailure;
import io.sluice.cli.OutputOption;
import io.sluice.cli.jobs.DurationText;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.cli.jobs.KafkaOptions;
import io.sluice.schemas.Topic;
import io.sluice.schemas.json.EventJsonEncoder;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice trace JOB}: every record of one job on every topic, ordered by causation, and where its time went. */
@Command(
        name = "trace",
        description = {
            "Prints every record of a job on every topic (requests, job events, resource and worker demands and "
                    + "events, node commands and events, dead letters; log chunks counted), each under the record "
                    + "that caused it (its causationId), with the time since submission, the time since its cause "
                    + "and the service that produced it; then where the time went: queue, resources, placement, "
                    + "prepare, start, run, cleanup (cli/README.md defines each). Reads what the topics hold when "
                    + "it starts, then exits.",
            "Exit codes: 0 traced, 2 a usage error, 3 no record of the job (or no answer from the broker), 4 refused."
        },
        sortOptions = false)
public final class TraceCommand implements Callable<Integer> {

    /** The job's topics: those keyed by job id are read on its partition alone, the others whole. */
    static final List<Topic> TOPICS = List.of(Topic.JOB_REQUESTS, Topic.JOB_EVENTS, Topic.RESOURCE_DEMANDS,
            Topic.RESOURCE_EVENTS, Topic.WORKER_DEMANDS, Topic.WORKER_EVENTS, Topic.NODE_COMMANDS, Topic.NODE_EVENTS,
            Topic.JOB_LOGS, Topic.DEAD_LETTER);
    /**
     * How long before the job's first record the topics not keyed by job id are read from: their producers' clocks
     * may lag the client's a little.
     */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);
    private static final int MAX_INDENT = 30;

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OutputOption output;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to trace.")
    private String jobId;

    @Override
    public Integer call() {
        JobTrace trace = new JobTrace(jobId, output.json());
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            Consumer<String> leftOut = warning -> {
                trace.leftOut(warning);
                spec.commandLine().getErr().println("sluice trace: warning: " + warning);
                spec.commandLine().getErr().flush();
            };
            TopicScan ofJob = new TopicScan(kafka);
            ofJob.addReadable(TOPICS.stream().filter(JobTrace::keyedByJob).toList(), null, true, jobId, leftOut);
            ofJob.read(new TopicScan.Start.Beginning(), false, null, 0,
                    record -> trace.offer(ReadRecord.of(ofJob.topicOf(record), record)));
            if (trace.isEmpty()) {
                throw new CliFailure("no record of job " + jobId + " on " + TOPICS.stream()
                        .filter(JobTrace::keyedByJob).map(kafka::nameOf).collect(Collectors.joining(", "))
                        + " (is the id right, the topic prefix, or has the job's time passed the topics' retention?)",
                        null, JobExitCodes.NO_ANSWER);
            }
            TopicScan others = new TopicScan(kafka);
            if (!readableOthers(others, leftOut).isEmpty()) {
                others.read(new TopicScan.Start.Since(trace.submittedAt().minus(CLOCK_MARGIN)), false, null, 0,
                        record -> trace.offer(ReadRecord.of(others.topicOf(record), record)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        TracePhases phases = TracePhases.of(trace);
        if (output.json()) {
            out.println(EventJsonEncoder.text(json(trace, phases)));
        } else {
            printText(out, trace, phases);
        }
        out.flush();
        return JobExitCodes.SUCCEEDED;
    }

    /**
     * The topics not keyed by job id that this login may read: none is no failure once the job's own topics were
     * read (people's login reads the status topics only; each topic left out was already named in a warning).
     */
    private static List<Topic> readableOthers(TopicScan others, Consumer<String> leftOut) {
        try {
            return others.addReadable(TOPICS.stream().filter(topic -> !JobTrace.keyedByJob(topic)).toList(), null,
                    false, null, leftOut);
        } catch (CliFailure e) {
            if (e.exitCode() != JobExitCodes.REFUSED) {
                throw e;
            }
            return List.of();
        }
    }

    private void printText(PrintWriter out, JobTrace trace, TracePhases phases) {
        Instant submitted = phases.submittedAt();
        out.println("job " + jobId + ", submitted " + submitted + "; each record under its cause: time since "
                + "submission, since its cause, the service that produced it");
        for (JobTrace.Placed placed : trace.ordered()) {
            TraceEntry entry = placed.entry();
            String indent = "  ".repeat(Math.min(placed.depth(), MAX_INDENT))
                    + (placed.depth() > MAX_INDENT ? "[" + placed.depth() + "] " : "");
            out.println(String.format(Locale.ROOT, "%9s %10s  %-15s %s%s  (%s)",
                    seconds(Duration.between(submitted, entry.at())),
                    placed.cause() == null ? "" : "(" + seconds(Duration.between(placed.cause().at(), entry.at()))
                            + ")", entry.service(), indent, entry.shown(), entry.place()));
        }
        if (!trace.logs().isEmpty()) {
            out.println("log chunks (sluice logs " + jobId + " prints them): " + trace.logs().stream()
                    .map(count -> count.process() + " " + count.stream().toLowerCase(Locale.ROOT) + " "
                            + count.chunks() + (count.chunks() == 1 ? " chunk, " : " chunks, ") + count.bytes()
                            + " bytes").collect(Collectors.joining("; ")));
        }
        if (trace.undecodableCount() > 0) {
            out.println(trace.undecodableCount() + " record(s) keyed by the job cannot be decoded"
                    + (trace.undecodableCount() > trace.undecodable().size() ? " (the first "
                    + trace.undecodable().size() + ")" : "") + ":");
            trace.undecodable().forEach(line -> out.println("  " + line));
        }
        if (trace.duplicates() > 0) {
            out.println(trace.duplicates() + " event(s) read twice (the same eventId, re-sent) shown once");
        }
        trace.leftOut().forEach(topic -> out.println("not read (so not traced): " + topic));
        out.println("where the time went" + (phases.complete() ? "" : " so far") + ":");
        for (TracePhases.Phase phase : phases.phases()) {
            out.println(String.format(Locale.ROOT, "  %-10s %10s  %s -> %s: %s", phase.name(),
                    phase.took() == null ? "not reached" : DurationText.describe(phase.took()), phase.from(),
                    phase.to(), phase.meaning()));
        }
        out.println(String.format(Locale.ROOT, "  %-10s %10s  submission -> %s", "total",
                DurationText.describe(phases.total()), phases.complete() ? "JobCleanedUp"
                        : "the last phase reached (the job is not cleaned up)"));
    }

    private ObjectNode json(JobTrace trace, TracePhases phases) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        root.put("jobId", jobId);
        root.put("submittedAt", phases.submittedAt().toString());
        ArrayNode records = root.putArray("records");
        for (JobTrace.Placed placed : trace.ordered()) {
            ObjectNode record = records.addObject();
            record.put("depth", placed.depth());
            record.put("sinceSubmissionMillis", Duration.between(phases.submittedAt(), placed.entry().at()).toMillis());
            if (placed.cause() == null) {
                record.putNull("sinceCauseMillis");
            } else {
                record.put("sinceCauseMillis", Duration.between(placed.cause().at(), placed.entry().at()).toMillis());
            }
            record.put("service", placed.entry().service());
            record.putRawValue("record", new RawValue(placed.entry().shown()));
        }
        ArrayNode logs = root.putArray("logChunks");
        trace.logs().forEach(count -> logs.addObject().put("process", count.process()).put("stream", count.stream())
                .put("chunks", count.chunks()).put("bytes", count.bytes()));
        ArrayNode undecodable = root.putArray("undecodable");
        trace.undecodable().forEach(undecodable::add);
        root.put("undecodableCount", trace.undecodableCount());
        ArrayNode notRead = root.putArray("notRead");
        trace.leftOut().forEach(notRead::add);
        ObjectNode summary = root.putObject("summary");
        ArrayNode list = summary.putArray("phases");
        for (TracePhases.Phase phase : phases.phases()) {
            ObjectNode item = list.addObject().put("name", phase.name()).put("from", phase.from())
                    .put("to", phase.to());
            if (phase.took() == null) {
                item.putNull("millis");
            } else {
                item.put("millis", phase.took().toMillis());
            }
        }
        summary.put("totalMillis", phases.total().toMillis());
        summary.put("complete", phases.complete());
        return root;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%+.3fs", duration.toMillis() / 1000.0);
    }
}
