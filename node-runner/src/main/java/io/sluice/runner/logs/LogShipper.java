package io.sluice.runner.logs;

import io.sluice.bus.kafka.EventSender;
import io.sluice.events.logs.JobLogEnvelope;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ships one job's process output to `sluice.job.logs` as ordered chunks (a sequence number per process, the byte
 * offset within each stream), keyed by job id so a job's chunks stay in order. Once the job's log cap is reached
 * it sends one last chunk, flagged truncated and ending in a marker a person reads, and drops the rest; the log
 * files on the node keep everything.
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

    private byte[] withMarker(byte[] kept) {
        byte[] marker = truncationMarker(budget.capBytes()).getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(kept, kept.length + marker.length);
        System.arraycopy(marker, 0, data, kept.length, marker.length);
        return data;
    }

    /** The output of one process: its own sequence and per-stream offsets. */
    public ProcessLog process(String process) {
        return new ProcessLog(process);
    }

    /** Receives one process's output in the order it was written, per stream. */
    public final class ProcessLog {

        private final String process;
        private final AtomicLong sequence = new AtomicLong();
        private final Map<LogStream, Long> offsets = new EnumMap<>(LogStream.class);

        private ProcessLog(String process) {
            this.process = process;
        }

        public synchronized void output(LogStream stream, byte[] bytes) {
            long offset = offsets.getOrDefault(stream, 0L);
            offsets.put(stream, offset + bytes.length);
            int allowed = budget.take(bytes.length);
            if (allowed < 0) {
                return;
            }
            boolean truncated = allowed < bytes.length;
            send(stream, offset, truncated ? withMarker(Arrays.copyOf(bytes, allowed)) : bytes, truncated);
        }

        private void send(LogStream stream, long offset, byte[] bytes, boolean truncated) {
            LogChunk chunk = LogChunk.newBuilder()
                    .setJobId(jobId)
                    .setWorkerId(workerId)
                    .setProcess(process)
                    .setStream(stream)
                    .setSequence(sequence.getAndIncrement())
                    .setStreamOffset(offset)
                    .setData(ByteBuffer.wrap(bytes))
                    .setTruncated(truncated)
                    .build();
            JobLogEnvelope envelope = JobLogEnvelope.newBuilder()
                    .setMetadata(Envelopes.metadata(UUID.randomUUID(), clock.instant(), jobId, null, producerName))
                    .setPayload(chunk)
                    .build();
            // Asynchronous: the idempotent producer keeps one key's chunks in order without waiting for each.
            sender.send(Topic.JOB_LOGS, jobId, envelope);
        }
    }
}
