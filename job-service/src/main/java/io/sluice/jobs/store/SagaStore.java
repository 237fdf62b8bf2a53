package io.sluice.jobs.store;

import jakarta.inject.Singleton;
import io.sluice.bus.db.SqlTimes;
import io.sluice.events.GrantedResource;
import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.jobs.domain.HeldResource;
import io.sluice.jobs.domain.Job;
import io.sluice.jobs.domain.Stage;
import io.sluice.jobs.domain.WorkerStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Loads and saves the saga's state of jobs (tables saga_job and saga_resource) in the caller's transaction. */
@Singleton
public final class SagaStore {

    private static final String COLUMNS = "job_id, spec, spec_sha256, stage, attempt, worker_status, worker_id, "
            + "node_id, step_index, step_running, outcome, reason, failed_step, exit_code, finished, "
            + "queue_deadline, run_deadline, version";

    /** The job, locked until the transaction ends, so two consumers never decide for the same job at once. */
    public Optional<Job> lock(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM saga_job WHERE job_id = ? FOR UPDATE")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                JobSpec spec = decode(row.getBytes("spec"), JobSpec::fromByteBuffer);
                // Only a job that asks for resources can hold any: most jobs are spared the second query.
                List<HeldResource> held = spec.getResources().isEmpty() ? List.of() : heldBy(connection, jobId);
                return Optional.of(jobOf(row, spec, held));
            }
        }
    }

    /**
     * Locks the jobs among {@code jobIds} that exist until the transaction ends, in job id order: transactions that
     * lock several jobs this way first cannot deadlock over them.
     */
    public void lockInOrder(Connection connection, Collection<String> jobIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT job_id FROM saga_job WHERE job_id = ANY (?) ORDER BY job_id FOR UPDATE")) {
            select.setArray(1, connection.createArrayOf("text", jobIds.toArray()));
            // PostgreSQL locks each row as it returns it, after the sort; all are locked once the query returns.
            select.executeQuery().close();
        }
    }

    /** Ids of jobs whose queue or run deadline passed at {@code now}, skipping those another transaction holds. */
    public List<String> overdue(Connection connection, Instant now, int limit) throws SQLException {
        // One index scan per deadline: with OR, PostgreSQL walks every job ever saved in job_id order to find none.
        try (PreparedStatement select = connection.prepareStatement("SELECT job_id FROM ("
                + "(SELECT job_id FROM saga_job WHERE queue_deadline <= ? ORDER BY queue_deadline LIMIT ?) UNION "
                + "(SELECT job_id FROM saga_job WHERE run_deadline <= ? ORDER BY run_deadline LIMIT ?)) overdue "
                + "ORDER BY job_id LIMIT ?")) {
            select.setTimestamp(1, SqlTimes.timestamp(now));
            select.setInt(2, limit);
            select.setTimestamp(3, SqlTimes.timestamp(now));
            select.setInt(4, limit);
            select.setInt(5, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /** Inserts a new job, or updates it if the version is the one it was loaded with. */
    public void save(Connection connection, Job job) throws SQLException {
        if (job.version() != 0 || !inserted(connection, job)) {
            update(connection, job);
        }
        saveHeld(connection, job);
    }

    private static void update(Connection connection, Job job) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE saga_job SET (" + COLUMNS
                + ") = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, version + 1) "
                + "WHERE job_id = ? AND version = ?")) {
            bind(update, job);
            update.setString(18, job.jobId());
            update.setLong(19, job.version());
            if (update.executeUpdate() != 1) {
                throw new SQLException("job " + job.jobId() + " changed under version " + job.version());
            }
        }
    }

    /** Inserts a new job; false when one with its id exists, which the versioned update then refuses. */
    private static boolean inserted(Connection connection, Job job) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO saga_job (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
                + "ON CONFLICT (job_id) DO NOTHING")) {
            bind(insert, job);
            return insert.executeUpdate() == 1;
        }
    }

    private static void bind(PreparedStatement statement, Job job) throws SQLException {
        statement.setString(1, job.jobId());
        statement.setBytes(2, bytesOf(job.spec()::toByteBuffer));
        statement.setString(3, job.specSha256());
        statement.setString(4, job.stage().name());
        statement.setInt(5, job.attempt());
        statement.setString(6, job.workerStatus().name());
        statement.setString(7, job.workerId());
        statement.setString(8, job.nodeId());
        statement.setInt(9, job.stepIndex());
        statement.setBoolean(10, job.stepRunning());
        statement.setString(11, job.outcome() == null ? null : job.outcome().name());
        statement.setString(12, job.reason());
        statement.setString(13, job.failedStep());
        if (job.exitCode() == null) {
            statement.setNull(14, Types.INTEGER);
        } else {
            statement.setInt(14, job.exitCode());
        }
        statement.setBoolean(15, job.finished());
        statement.setTimestamp(16, SqlTimes.timestamp(job.queueDeadline()));
        statement.setTimestamp(17, SqlTimes.timestamp(job.runDeadline()));
    }

    private static void saveHeld(Connection connection, Job job) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO saga_resource "
                + "(job_id, position, type, resource_id, granted, release) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (job_id, position) DO UPDATE SET release = EXCLUDED.release")) {
            for (HeldResource resource : job.held()) {
                upsert.setString(1, job.jobId());
                upsert.setInt(2, resource.position());
                upsert.setString(3, resource.type());
                upsert.setString(4, resource.resourceId());
                upsert.setBytes(5, bytesOf(resource.granted()::toByteBuffer));
                upsert.setString(6, resource.release().name());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static List<HeldResource> heldBy(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT position, granted, release "
                + "FROM saga_resource WHERE job_id = ? ORDER BY position")) {
            select.setString(1, jobId);
            List<HeldResource> held = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    held.add(new HeldResource(rows.getInt(1), decode(rows.getBytes(2), GrantedResource::fromByteBuffer),
                            HeldResource.Release.valueOf(rows.getString(3))));
                }
            }
            return held;
        }
    }

    private static Job jobOf(ResultSet row, JobSpec spec, List<HeldResource> held) throws SQLException {
        int exitCode = row.getInt("exit_code");
        Integer exit = row.wasNull() ? null : exitCode;
        String outcome = row.getString("outcome");
        return new Job(row.getString("job_id"), spec, row.getString("spec_sha256"),
                Stage.valueOf(row.getString("stage")), row.getInt("attempt"),
                WorkerStatus.valueOf(row.getString("worker_status")), row.getString("worker_id"),
                row.getString("node_id"), row.getInt("step_index"), row.getBoolean("step_running"),
                outcome == null ? null : JobOutcome.valueOf(outcome), row.getString("reason"),
                row.getString("failed_step"), exit, row.getBoolean("finished"),
                SqlTimes.instant(row, "queue_deadline"), SqlTimes.instant(row, "run_deadline"), held,
                row.getLong("version"));
    }

    private interface Decoder<T> {
        T decode(ByteBuffer bytes) throws IOException;
    }

    private static <T> T decode(byte[] bytes, Decoder<T> decoder) {
        try {
            return decoder.decode(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("stored saga state cannot be decoded", e);
        }
    }

    private interface Encoder {
        ByteBuffer encode() throws IOException;
    }

    static byte[] bytesOf(Encoder encoder) {
        try {
            ByteBuffer buffer = encoder.encode();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("saga state cannot be encoded", e);
        }
    }
}
