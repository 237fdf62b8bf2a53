package io.sluice.cli.jobs;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.schemas.signing.OwnerKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice cancel JOB}: asks job-service to cancel a job, whatever state it is in; says so instead when there is
 * no such job or it is already over.
 */
@Command(
        name = "cancel",
        description = {
            "Asks Sluice to cancel a job: a running step gets its shutdown signal, then the job ends CANCELLED and "
                    + "is cleaned up. Returns once the broker has the request; 'sluice watch' shows the rest.",
            "Exit codes: 0 asked (or the job was already over), 2 no job was submitted under this id (or a usage "
                    + "error), 3 no answer from the broker."
        },
        sortOptions = false)
public final class CancelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OwnerKeyOptions ownerKeyOptions;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to cancel.")
    private String jobId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; shown in the job's outcome.")
    private String reason;

    @Option(names = {"--requested-by", "--owner"}, paramLabel = "USER",
            description = "Who asks (default: $USER).")
    private String requestedBy;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String requester = requestedBy != null ? requestedBy : CurrentUser.name();
        OwnerKey signer = ownerKeyOptions.load();
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            JobStream stream = new JobStream(kafka, jobId, List.of(Topic.JOB_REQUESTS, Topic.JOB_EVENTS), err::println,
                    JobIds.timeOf(jobId).orElse(null));
            List<JobRecord> history = stream.catchUp();
            if (stream.brokerSilent()) {
                err.println("sluice: job " + jobId + " was not cancelled: the broker does not answer");
                return JobExitCodes.NO_ANSWER;
            }
            if (history.isEmpty()) {
                err.println("sluice: there is no job " + jobId + ": nothing was submitted under this id (on "
                        + kafka.nameOf(Topic.JOB_REQUESTS) + ")");
                return JobExitCodes.REJECTED_OR_USAGE;
            }
            Optional<String> over = endOf(history);
            if (over.isPresent()) {
                out.println("job " + jobId + " is already over (" + over.get() + "); nothing to cancel");
                return JobExitCodes.SUCCEEDED;
            }
            JobCancelRequested cancel = JobCancelRequested.newBuilder()
                    .setJobId(jobId).setRequestedBy(requester).setReason(reason).build();
            kafka.send(Topic.JOB_REQUESTS, jobId, sentAt -> Envelopes.<JobRequestEnvelope>envelope(
                    Topic.JOB_REQUESTS, Envelopes.metadata(UUID.randomUUID(), sentAt, jobId, null,
                            "sluice-cli/" + requester), cancel), signer);
        } finally {
            err.flush();
        }
        out.println("asked to cancel job " + jobId + "; 'sluice watch " + jobId + "' shows it end");
        out.flush();
        return JobExitCodes.SUCCEEDED;
    }

    /** The job's outcome when it reached one, or "rejected" when intake turned it down and never accepted it. */
    private static Optional<String> endOf(List<JobRecord> history) {
        boolean accepted = history.stream().anyMatch(record -> record.payload() instanceof JobAccepted);
        for (JobRecord record : history.reversed()) {
            switch (record.payload()) {
                case JobCleanedUp cleanedUp -> {
                    return Optional.of(cleanedUp.getOutcome().toString());
                }
                case JobFinished finished -> {
                    return Optional.of(finished.getOutcome() + ", cleaning up");
                }
                case JobRejected rejected when !accepted -> {
                    return Optional.of("rejected: " + rejected.getReason());
                }
                default -> {
                }
            }
        }
        return Optional.empty();
    }
}
