package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.signing.RequestSignature;
import io.sluice.testing.TestOwners;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A request acts only as the owner whose registered key signed it; a cancellation only for the job's owner or an
 * admin. Every refusal is a JobRequestRefused on the status topic, and nothing else happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerSignaturesTest {

    private JobServiceHarness harness;

    @BeforeAll
    void start() {
        harness = new JobServiceHarness("owner-signatures", Map.of("sluice.jobs.owners.root.privileges",
                List.of("admin")));
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void an_unsigned_submission_is_refused_and_no_job_exists() {
        harness.bus.send(Topic.JOB_REQUESTS, "unsigned", "unsigned", submission("unsigned"));

        JobRequestRefused refused = harness.bus.await(Topic.JOB_EVENTS, "unsigned", JobRequestRefused.class);

        assertThat(refused.getRequest()).isEqualTo("submit");
        assertThat(refused.getClaimedBy()).isEqualTo("alice");
        assertThat(refused.getReason()).contains("not signed");
        assertNothingElseHappened("unsigned");
    }

    @Test
    void an_unsigned_request_under_an_id_no_job_can_have_is_refused_and_the_requests_behind_it_are_served() {
        String hugeId = "x".repeat(10_000);
        harness.bus.send(Topic.JOB_REQUESTS, hugeId, hugeId, submission(hugeId));
        harness.submit("behind-huge", aJob().spec());

        JobRequestRefused refused = harness.bus.await(Topic.JOB_EVENTS, hugeId, JobRequestRefused.class);
        assertThat(refused.getReason()).contains("not signed");
        harness.bus.await(Topic.WORKER_DEMANDS, "behind-huge", WorkerDemanded.class);
    }

    @Test
    void a_submission_signed_by_a_key_registered_for_no_owner_is_refused() {
        harness.bus.sendSigned("mallory", Topic.JOB_REQUESTS, "forged", "forged", submission("forged"));

        JobRequestRefused refused = harness.bus.await(Topic.JOB_EVENTS, "forged", JobRequestRefused.class);

        assertThat(refused.getReason()).isEqualTo("signed with key " + TestOwners.keyOf("mallory").keyId()
                + ", which is registered for no owner");
        assertNothingElseHappened("forged");
    }

    @Test
    void a_submission_as_alice_signed_by_bob_is_refused() {
        harness.bus.sendSigned("bob", Topic.JOB_REQUESTS, "as-alice", "as-alice", submission("as-alice"));

        JobRequestRefused refused = harness.bus.await(Topic.JOB_EVENTS, "as-alice", JobRequestRefused.class);

        assertThat(refused.getReason()).isEqualTo("signed by a key of owner 'bob', not of 'alice'");
        assertNothingElseHappened("as-alice");
    }

    @Test
    void a_request_altered_after_signing_is_refused() {
        byte[] signedValue = encode("altered", submission("altered"));
        String signature = RequestSignature.sign(signedValue, TestOwners.keyOf("alice"));
        byte[] sentValue = encode("altered", JobSubmitted.newBuilder((JobSubmitted) submission("altered"))
                .setSpec(aJob().onTarget("gpu").spec()).build());

        harness.bus.sendRaw(Topic.JOB_REQUESTS, "altered", sentValue, signature);

        JobRequestRefused refused = harness.bus.await(Topic.JOB_EVENTS, "altered", JobRequestRefused.class);
        assertThat(refused.getReason()).contains("does not match the request");
        assertNothingElseHappened("altered");
    }

    @Test
    void a_cancel_by_another_owner_is_refused_and_the_job_goes_on_until_its_owner_cancels_it() {
        harness.submit("not-bobs", aJob().spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "not-bobs", WorkerDemanded.class);

        harness.cancel("not-bobs", "bob");

        JobRequestRefused refused = harness.bus.await(Topic.JOB_EVENTS, "not-bobs", JobRequestRefused.class);
        assertThat(refused.getRequest()).isEqualTo("cancel");
        assertThat(refused.getClaimedBy()).isEqualTo("bob");
        assertThat(refused.getReason()).isEqualTo("'bob' may not cancel a job of 'alice': only its owner or an "
                + "owner holding privilege 'admin' may");
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, "not-bobs"))
                .containsExactly("JobAccepted", "JobQueued", "WorkerRequested", "JobRequestRefused");
        assertThat(harness.bus.payloadNames(Topic.WORKER_DEMANDS, "not-bobs")).containsExactly("WorkerDemanded");

        harness.cancel("not-bobs", "alice");
        harness.bus.await(Topic.WORKER_DEMANDS, "not-bobs", io.sluice.events.worker.WorkerDemandWithdrawn.class);
    }

    @Test
    void a_cancel_claiming_the_owner_but_signed_by_someone_else_is_refused() {
        harness.submit("claimed", aJob().spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "claimed", WorkerDemanded.class);

        harness.bus.sendSigned("bob", Topic.JOB_REQUESTS, "claimed", "claimed", JobCancelRequested.newBuilder()
                .setJobId("claimed").setRequestedBy("alice").setReason("pretending").build());

        JobRequestRefused refused = harness.bus.await(Topic.JOB_EVENTS, "claimed", JobRequestRefused.class);
        assertThat(refused.getReason()).isEqualTo("signed by a key of owner 'bob', not of 'alice'");
        assertThat(harness.bus.payloadNames(Topic.WORKER_DEMANDS, "claimed")).containsExactly("WorkerDemanded");
    }

    @Test
    void an_admin_may_cancel_any_owners_job() {
        harness.submit("admin-cancels", aJob().spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "admin-cancels", WorkerDemanded.class);

        harness.cancel("admin-cancels", "root");

        harness.bus.await(Topic.WORKER_DEMANDS, "admin-cancels",
                io.sluice.events.worker.WorkerDemandWithdrawn.class);
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, "admin-cancels")).doesNotContain("JobRequestRefused");
    }

    private void assertNothingElseHappened(String jobId) {
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, jobId)).containsExactly("JobRequestRefused");
        assertThat(harness.bus.payloadNames(Topic.WORKER_DEMANDS, jobId)).isEmpty();
        assertThat(harness.bus.payloadNames(Topic.RESOURCE_DEMANDS, jobId)).isEmpty();
        assertThat(harness.bus.payloadNames(Topic.JOB_STATE, jobId)).isEmpty();
    }

    private static SpecificRecord submission(String jobId) {
        return JobSubmitted.newBuilder().setJobId(jobId).setSpec(aJob().spec()).build();
    }

    private static byte[] encode(String jobId, SpecificRecord payload) {
        JobRequestEnvelope envelope = Envelopes.envelope(Topic.JOB_REQUESTS, Envelopes.metadata(UUID.randomUUID(),
                Instant.now(), jobId, null, "test"), payload);
        return EventCodec.<JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS).encode(envelope);
    }
}
