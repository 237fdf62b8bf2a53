package io.sluice.cli.jobs;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice cancel JOB}: asks job-service to cancel a job, whatever state it is in. */
@Command(
        name = "cancel",
        description = {
            "Asks Sluice to cancel a job: a running step gets its shutdown signal, then the job ends CANCELLED and "
                    + "is cleaned up. Returns once the broker has the request; 'sluice watch' shows the rest."
        },
        sortOptions = false)
public final class CancelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private BusOptions busOptions;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to cancel.")
    private String jobId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; shown in the job's outcome.")
    private String reason;

    @Option(names = {"--requested-by", "--owner"}, paramLabel = "USER",
            description = "Who asks (default: $USER).")
    private String requestedBy;

    @Override
    public Integer call() {
        String requester = requestedBy != null ? requestedBy : Users.current();
        JobCancelRequested cancel = JobCancelRequested.newBuilder()
                .setJobId(jobId).setRequestedBy(requester).setReason(reason).build();
        try (Bus bus = busOptions.connect()) {
            JobRequestEnvelope envelope = Envelopes.envelope(Topic.JOB_REQUESTS,
                    Envelopes.metadata(UUID.randomUUID(), Instant.now(), jobId, null, "sluice-cli/" + requester),
                    cancel);
            bus.send(Topic.JOB_REQUESTS, jobId, envelope);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("asked to cancel job " + jobId + "; 'sluice watch " + jobId + "' shows it end");
        out.flush();
        return JobExitCodes.SUCCEEDED;
    }
}
