package io.sluice.cli.replay;

import io.sluice.cli.replay.EventComparison.Emitted;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.job.JobSubmitted;
import io.sluice.jobs.domain.Job;
import io.sluice.jobs.domain.JobChange;
import io.sluice.jobs.domain.JobSaga;
import io.sluice.jobs.domain.JobSagaInputs;
import io.sluice.jobs.domain.JobSpecFingerprint;
import io.sluice.jobs.domain.JobSpecValidator;
import io.sluice.jobs.domain.Outgoing;
import io.sluice.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Feeds a job's recorded inputs, in the order job-service applied them, to today's pure saga (job-service's domain:
 * no broker, no database) and compares what it emits with what was recorded. Intake's verdict on a submission (its
 * checks use job-service's configuration: limits, targets, owners' privileges and keys, declared resource types) is
 * taken as recorded; from acceptance on, every decision is today's.
 */
final class SagaReplay {

    /** Who decided a transition: today's saga, or intake as recorded. */
    enum DecidedBy { SAGA, INTAKE_AS_RECORDED, NOTHING }

    /** One input applied: the job before and after it, what today's code emits, and how that differs. */
    record Transition(int index, ReplayInput input, DecidedBy decidedBy, String note, Job before, Job after,
                      List<Emitted> emitted, List<String> differences) {
    }

    private static final String SAGA_REFUSAL = " may not cancel a job of ";

    private final String jobId;
    private Job job;

    private SagaReplay(String jobId) {
        this.jobId = jobId;
    }

    static List<Transition> run(String jobId, List<ReplayInput> inputs) {
        SagaReplay replay = new SagaReplay(jobId);
        List<Transition> transitions = new ArrayList<>();
        for (ReplayInput input : inputs) {
            transitions.add(replay.apply(transitions.size() + 1, input));
        }
        return transitions;
    }

    private Transition apply(int index, ReplayInput input) {
        Job before = job;
        Decision decision = decide(input);
        if (decision.change() != null) {
            job = decision.change().after();
        }
        List<Emitted> emitted = decision.emitted();
        List<String> differences = EventComparison.differences(emitted, input.recorded());
        return new Transition(index, input, decision.by(), decision.note(), before, job, emitted, differences);
    }

    private record Decision(DecidedBy by, JobChange change, List<Emitted> emitted, String note) {

        static Decision of(String jobId, JobChange change) {
            return new Decision(DecidedBy.SAGA, change, emittedBy(jobId, change.events()), null);
        }

        static Decision nothing(String note) {
            return new Decision(DecidedBy.NOTHING, null, List.of(), note);
        }
    }

    private Decision decide(ReplayInput input) {
        if (input.timer()) {
            if (job == null) {
                return Decision.nothing("the job is not known yet: the timer passes it by");
            }
            return Decision.of(jobId, JobSaga.of(job).deadlinesPassed(input.timerAt()));
        }
        Object payload = input.event().payload();
        return switch (payload) {
            case JobSubmitted submitted -> submit(input, submitted);
            case JobCancelRequested cancel -> cancel(input, cancel);
            default -> job == null ? Decision.nothing("job-service does not know the job yet: an event for an "
                    + "unknown job is not its own") : Decision.of(jobId, JobSagaInputs.decide(JobSaga.of(job), payload));
        };
    }

    private Decision submit(ReplayInput input, JobSubmitted submitted) {
        JobSpec spec = submitted.getSpec();
        String sha256 = JobSpecFingerprint.sha256Of(spec);
        Optional<JobRequestRefused> refused = recorded(input, JobRequestRefused.class);
        if (refused.isPresent()) {
            return asRecorded(input, "intake refused the request (" + refused.get().getReason() + ")");
        }
        if (job != null) {
            // A resubmission: the same job changes nothing, another one under its id is answered alone.
            List<Emitted> answer = job.specSha256().equals(sha256) ? List.of()
                    : List.of(new Emitted(Topic.JOB_EVENTS, jobId, JobSaga.idTaken(jobId, spec)));
            return new Decision(DecidedBy.SAGA, null, answer, job.specSha256().equals(sha256)
                    ? "a resubmission of the same job" : "another job under a taken id");
        }
        Optional<JobAccepted> accepted = recorded(input, JobAccepted.class);
        if (accepted.isPresent()) {
            // Intake names the target by its canonical name, whichever alias the user wrote.
            JobSpec canonical = JobSpec.newBuilder(spec).setTarget(accepted.get().getSpec().getTarget()).build();
            RecordedEvent acceptance = input.recorded().stream()
                    .filter(e -> e.payload() instanceof JobAccepted).findFirst().orElseThrow();
            return Decision.of(jobId, JobSaga.accept(jobId, canonical, sha256,
                    input.event().metadata().getOccurredAt(), acceptance.metadata().getOccurredAt()));
        }
        Optional<JobRejected> rejected = recorded(input, JobRejected.class);
        if (rejected.isPresent()) {
            if (!JobSpecValidator.isJobId(jobId)) {
                return asRecorded(input, "intake rejected it: " + rejected.get().getReason());
            }
            JobChange change = JobSaga.reject(jobId, spec, sha256, rejected.get().getProblems());
            return new Decision(DecidedBy.INTAKE_AS_RECORDED, change, emittedBy(jobId, change.events()),
                    "intake rejected it (its problems as recorded): " + rejected.get().getReason());
        }
        return Decision.nothing("no verdict of intake recorded (job-service had not read the request?)");
    }

    private Decision cancel(ReplayInput input, JobCancelRequested cancel) {
        Optional<JobRequestRefused> refused = recorded(input, JobRequestRefused.class);
        if (refused.isPresent() && (job == null || !refused.get().getReason().contains(SAGA_REFUSAL))) {
            return asRecorded(input, "intake refused the request (" + refused.get().getReason() + ")");
        }
        if (job == null) {
            return Decision.nothing("job-service does not know the job yet: the cancellation changes nothing");
        }
        // Whether the requester holds admin is job-service's configuration: the recorded answer says it.
        boolean admin = refused.isEmpty();
        return Decision.of(jobId, JobSaga.of(job).cancel(cancel.getRequestedBy(), cancel.getReason(), admin));
    }

    private static Decision asRecorded(ReplayInput input, String note) {
        List<Emitted> emitted = input.recorded().stream()
                .map(e -> new Emitted(e.topic(), e.key(), e.payload())).toList();
        return new Decision(DecidedBy.INTAKE_AS_RECORDED, null, emitted, note);
    }

    private static <T> Optional<T> recorded(ReplayInput input, Class<T> type) {
        return input.recorded().stream().map(RecordedEvent::payload).filter(type::isInstance).map(type::cast)
                .findFirst();
    }

    /** Where job-service's publishing sends each outgoing message, keyed as it keys them. */
    static List<Emitted> emittedBy(String jobId, List<Outgoing> outgoing) {
        List<Emitted> emitted = new ArrayList<>();
        for (Outgoing out : outgoing) {
            SpecificRecord payload = out.payload();
            emitted.add(switch (out) {
                case Outgoing.JobEvent event -> new Emitted(Topic.JOB_EVENTS, jobId, payload);
                case Outgoing.ToResourceWell demand -> new Emitted(Topic.RESOURCE_DEMANDS, demand.resourceType(),
                        payload);
                case Outgoing.ToWorkerFactory demand -> new Emitted(Topic.WORKER_DEMANDS, demand.target(), payload);
                case Outgoing.ToNode command -> new Emitted(Topic.NODE_COMMANDS, command.nodeId(), payload);
            });
        }
        return emitted;
    }
}
