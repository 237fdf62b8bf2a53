package io.sluice.jobs.store.projection;

import jakarta.inject.Singleton;
import io.sluice.schemas.json.EventJsonEncoder;
import io.sluice.events.EventMetadata;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.job.JobResourceReleased;
import io.sluice.events.job.JobRetrying;
import io.sluice.events.job.JobStopping;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.job.JobWorkerReleased;
import io.sluice.events.job.ResourceAcquired;
import io.sluice.events.job.ResourceAcquisitionStarted;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.job.WorkerRequested;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Applies one event of {@code sluice.job.events} to the projection tables (job_view, job_step,
 * job_resource_view) and appends it to the job's history. It reads nothing but the event, so replaying the topic
 * from offset 0 into empty tables builds the same projection; an event's statements go to the server together.
 */
@Singleton
public final class JobProjector {

    /**
     * A milestone's time: when job-service applied the job event that marks it (its clock, the job's events in the
     * order the saga emitted them), never before a milestone already reached, which caused it. Postgres's greatest
     * skips the nulls of milestones not reached. Every milestone but the submission is thus on one clock; a node's
     * own times stay with the steps (job_step.started_at, duration_ms).
     */
    private static final String AFTER_CAUSES =
            "greatest(?::timestamptz, stop_requested_at, started_at, worker_assigned_at, queued_at, submitted_at)";

    /**
     * Applies {@code payload}. Each event must come once: the live consumer deduplicates by event id, a rebuild by
     * the ids it has seen.
     */
    public void apply(Connection connection, EventMetadata metadata, SpecificRecord payload) throws SQLException {
        RoundTrip.run(connection, statements(metadata, payload));
    }

    /** The statements that apply {@code payload}, in order, the history's last. */
    public List<RoundTrip.Statement> statements(EventMetadata metadata, SpecificRecord payload) {
        List<RoundTrip.Statement> out = new ArrayList<>();
        String jobId = metadata.getCorrelationId();
        Instant at = metadata.getOccurredAt();
        switch (payload) {
            case JobAccepted accepted -> {
                out.add(new RoundTrip.Statement("INSERT INTO job_view (job_id, owner, name, target, state, submitted_at) "
                                + "VALUES (?, ?, ?, ?, 'SUBMITTED', least(?::timestamptz, ?::timestamptz)) ON CONFLICT DO NOTHING",
                        jobId, accepted.getSpec().getOwner(), accepted.getSpec().getName(),
                        accepted.getSpec().getTarget(), accepted.getSubmittedAt(), at));
                List<StepSpec> steps = accepted.getSpec().getSteps();
                for (int i = 0; i < steps.size(); i++) {
                    out.add(new RoundTrip.Statement("INSERT INTO job_step (job_id, step_index, name, state) "
                            + "VALUES (?, ?, ?, 'PENDING') ON CONFLICT DO NOTHING", jobId, i, steps.get(i).getName()));
                }
            }
            // A rejection of a taken id leaves the job that holds the id as it is (only its history grows).
            case JobRejected rejected -> out.add(new RoundTrip.Statement("INSERT INTO job_view (job_id, owner, name, state, "
                    + "reason, submitted_at, finished_at) VALUES (?, ?, ?, 'REJECTED', ?, ?, ?) ON CONFLICT DO NOTHING",
                    jobId, rejected.getOwner(), rejected.getName(), rejected.getReason(), at, at));
            case JobQueued ignored -> view(out, jobId, "state = 'QUEUED', queued_at = " + AFTER_CAUSES, at);
            case ResourceAcquisitionStarted ignored -> view(out, jobId, "state = 'ACQUIRING'");
            case ResourceAcquired acquired -> out.add(new RoundTrip.Statement("INSERT INTO job_resource_view "
                    + "(job_id, type, resource_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", jobId,
                    acquired.getResourceType(), acquired.getResourceId()));
            case WorkerRequested requested -> view(out, jobId, "state = 'WAITING_FOR_WORKER', attempt = ?",
                    requested.getAttempt());
            case JobPreparing preparing -> view(out, jobId, "state = 'PREPARING', worker_id = ?, node_id = ?",
                    preparing.getWorkerId(), preparing.getNodeId());
            case JobWorkerAssigned assigned -> view(out, jobId, "state = 'RUNNING', worker_id = ?, "
                    + "node_id = ?, worker_assigned_at = " + AFTER_CAUSES, assigned.getWorkerId(), assigned.getNodeId(),
                    at);
            case StepStarted started -> {
                view(out, jobId, "current_step_index = ?, current_step = ?, started_at = coalesce(started_at, "
                        + AFTER_CAUSES + ")", started.getStepIndex(), started.getStepName(), at);
                out.add(new RoundTrip.Statement("UPDATE job_step SET state = 'RUNNING', attempt = ?, pid = ?, started_at = ? "
                        + "WHERE job_id = ? AND step_index = ?", started.getAttempt(), started.getPid(),
                        started.getStartedAt(), jobId, started.getStepIndex()));
            }
            case StepFinished finished -> out.add(new RoundTrip.Statement("UPDATE job_step SET state = ?, attempt = ?, "
                    + "duration_ms = ?, exit_code = ?, signal = ?, oom_killed = ?, reason = ? "
                    + "WHERE job_id = ? AND step_index = ?", finished.getSucceeded() ? "SUCCEEDED" : "FAILED",
                    finished.getAttempt(), finished.getDurationMillis(), finished.getExitCode(), finished.getSignal(),
                    finished.getOomKilled(), finished.getReason(), jobId, finished.getStepIndex()));
            case JobStopping ignored -> view(out, jobId, "stop_requested_at = " + AFTER_CAUSES, at);
            case JobRetrying retrying -> {
                view(out, jobId, "state = 'WAITING_FOR_WORKER', attempt = ?, worker_id = NULL, node_id = NULL, "
                        + "worker_assigned_at = NULL, started_at = NULL, current_step_index = NULL, current_step = NULL",
                        retrying.getAttempt());
                out.add(new RoundTrip.Statement("UPDATE job_step SET state = 'PENDING', pid = NULL, started_at = NULL, "
                        + "duration_ms = NULL, exit_code = NULL, signal = NULL, oom_killed = false, reason = NULL "
                        + "WHERE job_id = ?", jobId));
            }
            case JobFinished finished -> {
                view(out, jobId, "state = ?, outcome = ?, reason = ?, finished_at = " + AFTER_CAUSES + ", "
                        + "current_step_index = NULL, current_step = NULL", finished.getOutcome(),
                        finished.getOutcome(), finished.getReason(), at);
                out.add(new RoundTrip.Statement(
                        "UPDATE job_step SET state = 'SKIPPED' WHERE job_id = ? AND state = 'PENDING'", jobId));
            }
            case JobResourceReleased released -> out.add(new RoundTrip.Statement("DELETE FROM job_resource_view "
                    + "WHERE job_id = ? AND type = ?", jobId, released.getResourceType()));
            case JobWorkerReleased ignored -> view(out, jobId, "worker_id = worker_id");
            case JobCleanedUp ignored -> view(out, jobId, "cleaned_up_at = greatest(?::timestamptz, finished_at, "
                    + "stop_requested_at, started_at, worker_assigned_at, queued_at, submitted_at)", at);
            // A refused request changes no job: it is only told in the history (of a job that may not exist).
            case JobRequestRefused ignored -> { }
            default -> throw new IllegalArgumentException("job event " + payload.getSchema().getName()
                    + " has no projection");
        }
        out.add(history(jobId, metadata, payload));
        return out;
    }

    private static void view(List<RoundTrip.Statement> out, String jobId, String assignments, Object... values) {
        Object[] parameters = new Object[values.length + 1];
        System.arraycopy(values, 0, parameters, 0, values.length);
        parameters[values.length] = jobId;
        out.add(new RoundTrip.Statement("UPDATE job_view SET " + assignments + ", version = version + 1 WHERE job_id = ?",
                parameters));
    }

    private static RoundTrip.Statement history(String jobId, EventMetadata metadata, SpecificRecord payload) {
        String event = EventJsonEncoder.text(EventJsonEncoder.event(metadata, payload));
        return new RoundTrip.Statement("INSERT INTO job_history (job_id, position, event_id, event_type, occurred_at, "
                + "state, detail, event_text) SELECT ?, coalesce((SELECT max(position) FROM job_history "
                + "WHERE job_id = ?), 0) + 1, ?, ?, ?, coalesce((SELECT state FROM job_view WHERE job_id = ?), "
                + "'UNKNOWN'), ?::jsonb, ?", jobId, jobId, metadata.getEventId().toString(),
                payload.getSchema().getName(), metadata.getOccurredAt(), jobId, event, event);
    }
}
