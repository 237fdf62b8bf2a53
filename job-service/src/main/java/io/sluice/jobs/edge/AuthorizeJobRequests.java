package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.jobs.config.IntakeProperties;
import io.sluice.jobs.domain.JobSaga;
import io.sluice.jobs.domain.JobSpecValidator;
import io.sluice.jobs.domain.OwnerKeys;
import io.sluice.jobs.domain.Requester;
import io.sluice.jobs.publish.PublishJobEvents;
import io.sluice.jobs.store.PrivilegeStore;
import io.sluice.schemas.signing.RequestSignature;
import jakarta.inject.Singleton;
import java.security.interfaces.ECPublicKey;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Lets a request act only as the owner whose registered key signed it: a submission as the job's owner, a
 * cancellation as its requester (then the job's owner or an admin); anything else is refused on the status topic
 * and changes nothing.
 */
@Singleton
public final class AuthorizeJobRequests {

    private final OwnerKeys keys;
    private final boolean requireSignatures;
    private final JobIntake intake;
    private final RunJobSaga saga;
    private final PrivilegeStore privileges;
    private final PublishJobEvents jobEvents;

    public AuthorizeJobRequests(OwnerKeys keys, IntakeProperties properties, JobIntake intake, RunJobSaga saga,
                                PrivilegeStore privileges, PublishJobEvents jobEvents) {
        this.keys = keys;
        this.requireSignatures = properties.isRequireSignatures();
        this.intake = intake;
        this.saga = saga;
        this.privileges = privileges;
        this.jobEvents = jobEvents;
    }

    public void submit(HandlerContext context, ConsumedEvent<JobRequestEnvelope> event, JobSubmitted submitted)
            throws SQLException {
        String owner = submitted.getSpec().getOwner();
        Optional<String> refusal = requesterOf(event).refusalToActAs(owner);
        if (refusal.isPresent()) {
            refuse(context, submitted.getJobId(), "submit", owner, refusal.get());
            return;
        }
        intake.submit(context, submitted, event.metadata().getOccurredAt(), event.value().length);
    }

    public void cancel(HandlerContext context, ConsumedEvent<JobRequestEnvelope> event, JobCancelRequested cancel)
            throws SQLException {
        String requestedBy = cancel.getRequestedBy();
        Optional<String> refusal = requesterOf(event).refusalToActAs(requestedBy);
        if (refusal.isPresent()) {
            refuse(context, cancel.getJobId(), "cancel", requestedBy, refusal.get());
            return;
        }
        boolean admin = privileges.privilegesOf(context.connection(), requestedBy).contains(Requester.ADMIN);
        saga.onJob(context, cancel.getJobId(), job -> job.cancel(requestedBy, cancel.getReason(), admin));
    }

    private Requester requesterOf(ConsumedEvent<JobRequestEnvelope> event) {
        if (!requireSignatures) {
            return new Requester.Trusted();
        }
        Optional<String> header = event.header(RequestSignature.HEADER);
        if (header.isEmpty()) {
            return new Requester.Unattributed("the request is not signed (header " + RequestSignature.HEADER
                    + "): sign it with the owner's registered key");
        }
        RequestSignature.Parsed parsed = RequestSignature.parse(header.get());
        if (parsed.keyId().isEmpty()) {
            return new Requester.Unattributed(parsed.problem());
        }
        Optional<OwnerKeys.Registered> registered = keys.find(parsed.keyId().get());
        if (registered.isEmpty()) {
            return new Requester.Unattributed("signed with key " + parsed.keyId().get()
                    + ", which is registered for no owner");
        }
        if (!RequestSignature.verifies(header.get(), event.value(), (ECPublicKey) registered.get().key())) {
            return new Requester.Unattributed("the signature by key " + parsed.keyId().get()
                    + " does not match the request (altered, or not signed by that key)");
        }
        return new Requester.Signed(registered.get().owner());
    }

    private void refuse(HandlerContext context, String jobId, String request, String claimedBy, String reason)
            throws SQLException {
        var refusal = JobSaga.refused(jobId, request, claimedBy, reason);
        if (JobSpecValidator.isJobId(jobId)) {
            jobEvents.publish(context, jobId, List.of(refusal));
        } else {
            // No row can be keyed by an id that cannot name a job: the refusal goes out alone.
            jobEvents.publishUnprojected(context, jobId, refusal);
        }
    }
}
