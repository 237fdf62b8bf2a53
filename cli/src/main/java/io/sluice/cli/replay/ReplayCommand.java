package io.sluice.cli.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.OutputOption;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.cli.jobs.KafkaOptions;
import io.sluice.cli.replay.EventComparison.Emitted;
import io.sluice.cli.replay.SagaReplay.Transition;
import io.sluice.jobs.domain.HeldResource;
import io.sluice.jobs.domain.Job;
import io.sluice.schemas.Topic;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice replay JOB}: would today's job-service do the same with this job? Replays the job's recorded inputs
 * through today's saga offline and prints each transition, marking every difference from what was recorded.
 */
@Command(
        name = "replay",
        description = {
            "Replays a job's recorded inputs (its requests; the wells', the factory's and the nodes' events that "
                    + "job-service consumed; its deadline timer) through today's job-service saga, offline: nothing "
                    + "is written to the broker or a database. Prints each transition (the input, the job's state "
                    + "before and after, the events today's code emits) and marks every difference from the events "
                    + "job-service recorded (type, key and fields; event ids, causation and times are not compared).",
            "Reading the wells', factory's and nodes' topics takes a login allowed to read them (sluice dev's user "
                    + "principal is not: use the admin's).",
            "Exit codes: 0 no difference, 1 differences, 3 no record of the job (or no answer from the broker), "
                    + "4 the broker refused."
        },
        sortOptions = false)
public final class ReplayCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OutputOption output;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to replay.")
    private String jobId;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JobRecording recording;
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            recording = JobRecording.read(kafka, jobId);
            if (recording.isEmpty()) {
                throw JobRecording.noRecords(kafka, jobId);
            }
        }
        recording.undecodable.forEach(place -> err.println("sluice replay: warning: record " + place
                + " cannot be decoded (written by a newer Sluice?): left out"));
        ReplayOrder.Result order = ReplayOrder.of(recording);
        List<Transition> transitions = SagaReplay.run(jobId, order.inputs());
        List<String> unexplained = order.unexplained().stream().map(e -> "recorded " + e.type() + " ("
                + e.place() + ") names as its cause event " + e.causationId() + ", which is no input found")
                .toList();
        long differing = transitions.stream().filter(t -> !t.differences().isEmpty()).count();
        int differences = transitions.stream().mapToInt(t -> t.differences().size()).sum() + unexplained.size();
        if (output.json()) {
            for (Transition transition : transitions) {
                out.println(JSON.writeValueAsString(json(transition)));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("jobId", jobId);
            summary.put("inputs", transitions.size());
            summary.put("recordedOutputs", recording.outputs.size());
            summary.put("transitionsDiffering", differing);
            summary.put("differences", differences);
            summary.put("unexplained", unexplained);
            summary.put("undecodable", recording.undecodable);
            out.println(JSON.writeValueAsString(Map.of("summary", summary)));
        } else {
            out.println("replay of job " + jobId + ": " + transitions.size() + " inputs, " + recording.outputs.size()
                    + " recorded outputs of job-service");
            transitions.forEach(transition -> text(out, transition));
            unexplained.forEach(line -> out.println("! " + line));
            out.println(differences == 0
                    ? "no difference: today's saga does with job " + jobId + " what was recorded"
                    : differences + " difference" + (differences == 1 ? "" : "s") + " in " + differing + " of "
                            + transitions.size() + " transitions" + (unexplained.isEmpty() ? ""
                            : ", " + unexplained.size() + " recorded outputs unexplained"));
        }
        out.flush();
        return differences == 0 ? JobExitCodes.SUCCEEDED : JobExitCodes.JOB_DID_NOT_SUCCEED;
    }

    private static void text(PrintWriter out, Transition transition) {
        String by = switch (transition.decidedBy()) {
            case SAGA -> "";
            case INTAKE_AS_RECORDED -> "  [intake's verdict as recorded]";
            case NOTHING -> "  [nothing to decide]";
        };
        out.println("#" + transition.index() + " " + transition.input().describe() + by);
        if (transition.note() != null) {
            out.println("   note:  " + transition.note());
        }
        out.println("   state: " + stateLine(transition.before()) + " -> " + stateLine(transition.after()));
        out.println("   emits: " + (transition.emitted().isEmpty() ? "nothing" : emittedLine(transition.emitted())));
        if (transition.differences().isEmpty()) {
            out.println("   = as recorded");
        } else {
            transition.differences().forEach(difference -> out.println("   ! " + difference));
        }
    }

    private static String emittedLine(List<Emitted> emitted) {
        Map<Topic, List<String>> byTopic = new LinkedHashMap<>();
        for (Emitted event : emitted) {
            String shown = event.topic() == Topic.JOB_EVENTS ? event.type() : event.type() + " [" + event.key() + "]";
            byTopic.computeIfAbsent(event.topic(), t -> new ArrayList<>()).add(shown);
        }
        return byTopic.entrySet().stream().map(e -> e.getKey().topicName() + " " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }

    /** The saga's state in one line: stage, attempt, worker, step, outcome and resources held. */
    private static String stateLine(Job job) {
        if (job == null) {
            return "(unknown)";
        }
        StringBuilder line = new StringBuilder(job.stage().name());
        line.append(" (attempt ").append(job.attempt()).append(", worker ").append(job.workerStatus());
        if (job.workerId() != null) {
            line.append(" ").append(job.workerId()).append(" on ").append(job.nodeId());
        }
        line.append(", step ").append(job.stepIndex()).append(job.stepRunning() ? " running" : "");
        if (!job.held().isEmpty()) {
            line.append(", resources ").append(job.held().stream()
                    .map(h -> h.type() + ":" + h.release()).collect(Collectors.joining(" ")));
        }
        if (job.outcome() != null) {
            line.append(", outcome ").append(job.outcome()).append(job.finished() ? " finished" : "");
        }
        return line.append(")").toString();
    }

    private static Map<String, Object> state(Job job) {
        if (job == null) {
            return null;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("stage", job.stage().name());
        state.put("attempt", job.attempt());
        state.put("workerStatus", job.workerStatus().name());
        state.put("workerId", job.workerId());
        state.put("nodeId", job.nodeId());
        state.put("stepIndex", job.stepIndex());
        state.put("stepRunning", job.stepRunning());
        state.put("outcome", job.outcome() == null ? null : job.outcome().name());
        state.put("reason", job.reason());
        state.put("finished", job.finished());
        state.put("resources", job.held().stream().map(ReplayCommand::resource).toList());
        return state;
    }

    private static Map<String, Object> resource(HeldResource held) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("type", held.type());
        resource.put("resourceId", held.resourceId());
        resource.put("release", held.release().name());
        return resource;
    }

    private static Map<String, Object> json(Transition transition) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("transition", transition.index());
        Map<String, Object> input = new LinkedHashMap<>();
        if (transition.input().timer()) {
            input.put("timer", transition.input().timerAt().toString());
        } else {
            RecordedEvent event = transition.input().event();
            input.put("topic", event.topicName());
            input.put("partition", event.partition());
            input.put("offset", event.offset());
            input.put("eventId", event.eventId());
            input.put("type", event.type());
        }
        line.put("input", input);
        line.put("decidedBy", transition.decidedBy().name().toLowerCase(java.util.Locale.ROOT));
        line.put("note", transition.note());
        line.put("before", state(transition.before()));
        line.put("after", state(transition.after()));
        line.put("emitted", transition.emitted().stream().map(e -> {
            Map<String, Object> emitted = new LinkedHashMap<>();
            emitted.put("topic", e.topic().topicName());
            emitted.put("key", e.key());
            emitted.put("type", e.type());
            return emitted;
        }).toList());
        line.put("recorded", transition.input().recorded().stream().map(e -> {
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("topic", e.topicName());
            recorded.put("partition", e.partition());
            recorded.put("offset", e.offset());
            recorded.put("key", e.key());
            recorded.put("type", e.type());
            return recorded;
        }).toList());
        line.put("differences", transition.differences());
        return line;
    }
}
