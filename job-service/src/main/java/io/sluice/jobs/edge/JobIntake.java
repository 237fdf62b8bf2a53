package io.sluice.jobs.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.job.SpecProblem;
import io.sluice.jobs.domain.Catalogue;
import io.sluice.jobs.domain.DeclaredResourceType;
import io.sluice.jobs.domain.JobSpecValidator;
import io.sluice.jobs.domain.Job;
import io.sluice.jobs.domain.JobSaga;
import io.sluice.jobs.domain.JobSpecFingerprint;
import io.sluice.jobs.publish.PublishJobEvents;
import io.sluice.jobs.store.PrivilegeStore;
import io.sluice.jobs.store.ResourceTypeStore;
import io.sluice.jobs.store.SagaStore;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Accepts or rejects a submitted job in the transaction of its request. The client chooses the job id, so a
 * resubmission of the same job changes nothing, and one of a different job under a taken id is answered with a
 * rejection that leaves the first job alone.
 */
@Singleton
public final class JobIntake {

    private final JobSpecValidator validator;
    private final Catalogue catalogue;
    private final RunJobSaga saga;
    private final SagaStore jobs;
    private final PrivilegeStore privileges;
    private final ResourceTypeStore resourceTypes;
    private final PublishJobEvents jobEvents;
    private final Clock clock;

    public JobIntake(JobSpecValidator validator, Catalogue catalogue, RunJobSaga saga, SagaStore jobs,
                     PrivilegeStore privileges, ResourceTypeStore resourceTypes, PublishJobEvents jobEvents,
                     Clock clock) {
        this.validator = validator;
        this.catalogue = catalogue;
        this.saga = saga;
        this.jobs = jobs;
        this.privileges = privileges;
        this.resourceTypes = resourceTypes;
        this.jobEvents = jobEvents;
        this.clock = clock;
    }

    /** {@code requestBytes} is the size of the encoded request, which intake bounds like every part of the job. */
    public void submit(HandlerContext context, JobSubmitted submitted, Instant submittedAt, long requestBytes)
            throws SQLException {
        String jobId = submitted.getJobId();
        JobSpec spec = submitted.getSpec();
        String sha256 = JobSpecFingerprint.sha256Of(spec);
        Optional<Job> existing = jobs.lock(context.connection(), jobId);
        if (existing.isPresent()) {
            if (!existing.get().specSha256().equals(sha256)) {
                // A rejection that changes no saga state, projected like any other job event.
                jobEvents.publish(context, jobId, List.of(JobSaga.idTaken(jobId, spec)));
            }
            return;
        }
        // The resource types are read in this transaction, so a job is checked against what the wells declared
        // up to now; a job without resources does without the query.
        List<DeclaredResourceType> declaredTypes = spec.getResources().isEmpty()
                ? List.of() : resourceTypes.declared(context.connection());
        List<SpecProblem> problems = validator.problemsOf(jobId, spec, requestBytes,
                privileges.privilegesOf(context.connection(), spec.getOwner()), declaredTypes);
        if (!problems.isEmpty() && !JobSpecValidator.isJobId(jobId)) {
            // No row can be keyed by an id that cannot name a job: the rejection goes out alone.
            jobEvents.publishUnprojected(context, jobId, JobSaga.rejection(jobId, spec, problems));
            return;
        }
        if (!problems.isEmpty()) {
            saga.apply(context, JobSaga.reject(jobId, spec, sha256, problems));
            return;
        }
        // The saga and every service after it know the target by its name, whichever alias the user wrote.
        JobSpec canonical = JobSpec.newBuilder(spec)
                .setTarget(catalogue.target(spec.getTarget()).orElseThrow().name()).build();
        saga.apply(context, JobSaga.accept(jobId, canonical, sha256, submittedAt, clock.instant()));
    }
}
