package io.sluice.runner.publish.logs;

import io.sluice.bus.kafka.EventSender;
import io.sluice.events.logs.JobLogEnvelope;
import io.sluice.events.logs.LogChunk;
import io.sluice.runner.publish.logs.ShippingJournal.Chunk;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Ships one job's process output to `sluice.job.logs` as ordered chunks (see {@link ProcessLog}), keyed by job id so
 * a job's chunks stay in order. Once the job's log cap is reached, or its log directory is full, it sends one last
 * chunk, flagged truncated and ending in a marker a person reads saying which, and drops the rest.
 */
public final class LogShipper {

    private final EventSender sender;
    private final String jobId;
    private final String workerId;
    private final String producerName;
    private final Clock clock;
    private final JobLogBudget budget;

    public LogShipper(EventSender sender, String jobId, String workerId, String producerName, Clock clock,
                      JobLogBudget budget) {
        this.sender = sender;
        this.jobId = jobId;
        this.workerId = workerId;
        this.producerName = producerName;
        this.clock = clock;
        this.budget = budget;
    }

    /** The line that ends a job's shipped output once its cap is reached. */
    public static String truncationMarker(long capBytes) {
        return "\n[sluice: this job's output reached its log cap of " + capBytes + " bytes; the rest is only in "
                + "the log files on its node]\n";
    }

    /** The line that ends a job's shipped output once its log directory reached its quota. */
    public static String quotaMarker(long quotaBytes) {
        return "\n[sluice: this job's log directory reached its quota of " + quotaBytes + " bytes; its output was cut "
                + "here: what it wrote after this was lost]\n";
    }

    /**
     * The output of one process, launched by command {@code launchCommandId}, resuming from what its journal says
     * was sent before.
     */
    public ProcessLog process(String process, String launchCommandId, ShippingJournal journal) {
        return new ProcessLog(this, process, launchCommandId, journal);
    }

    JobLogBudget budget() {
        return budget;
    }

    /**
     * Sends a chunk; asynchronous, as the idempotent producer keeps one key's chunks in order without waiting for
     * each. Its event id follows from the launch and the sequence number, so a chunk sent again keeps it.
     */
    Future<RecordMetadata> send(String process, String launchCommandId, Chunk chunk, byte[] logBytes) {
        LogChunk payload = LogChunk.newBuilder()
                .setJobId(jobId)
                .setWorkerId(workerId)
                .setProcess(process)
                .setStream(chunk.stream())
                .setSequence(chunk.sequence())
                .setStreamOffset(chunk.offset())
                .setData(ByteBuffer.wrap(chunk.truncated() ? withMarker(logBytes, chunk.quotaBytes()) : logBytes))
                .setTruncated(chunk.truncated())
                .build();
        UUID eventId = UUID.nameUUIDFromBytes(("log/" + launchCommandId + "/" + chunk.sequence())
                .getBytes(StandardCharsets.UTF_8));
        JobLogEnvelope envelope = JobLogEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(eventId, clock.instant(), jobId, launchCommandId, producerName))
                .setPayload(payload)
                .build();
        return sender.send(Topic.JOB_LOGS, jobId, envelope);
    }

    private byte[] withMarker(byte[] kept, long quotaBytes) {
        byte[] marker = (quotaBytes > 0 ? quotaMarker(quotaBytes) : truncationMarker(budget.capBytes()))
                .getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(kept, kept.length + marker.length);
        System.arraycopy(marker, 0, data, kept.length, marker.length);
        return data;
    }
}
