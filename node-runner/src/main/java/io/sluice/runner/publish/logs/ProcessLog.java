package io.sluice.runner.publish.logs;

import io.sluice.events.logs.LogStream;
import io.sluice.runner.publish.logs.ShippingJournal.Chunk;
import io.sluice.runner.publish.logs.ShippingJournal.Loaded;
import io.sluice.runner.publish.logs.ShippingJournal.Position;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Ships one process's output in the order it was written: per process a gap-free sequence number over both streams,
 * per chunk its offset in its stream. Each chunk is noted in the process's {@link ShippingJournal} before it is sent,
 * and what the broker acknowledged is checkpointed now and then, so that a restarted runner goes on where this one
 * stopped; chunks sent after the last checkpoint are sent again by it exactly as they were (a consumer drops the
 * copies by event id, sequence number or offset).
 */
public final class ProcessLog {

    /** The most bytes in one chunk; reads of the log files are no larger. */
    static final int MAX_CHUNK = 64 * 1024;

    /** A chunk handed to the producer: where shipping stands after it, and its send. */
    private record Sent(Position position, Future<?> send) {
        boolean acknowledged() {
            if (!send.isDone()) {
                return false;
            }
            try {
                send.get();
                return true;
            } catch (ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private final LogShipper shipper;
    private final String process;
    private final String launchCommandId;
    private final ShippingJournal journal;
    private final Position resumeFrom;
    private Position position;
    private Position checkpointed;
    private Replay replay;
    private Sent lastSent;
    private Sent sentBeforeLastCheckpoint;
    private boolean accepting = true;
    private boolean retired;

    ProcessLog(LogShipper shipper, String process, String launchCommandId, ShippingJournal journal) {
        this.shipper = shipper;
        this.process = process;
        this.launchCommandId = launchCommandId;
        this.journal = journal;
        Loaded loaded = journal.load();
        this.resumeFrom = loaded.checkpoint();
        this.checkpointed = loaded.checkpoint();
        this.position = loaded.sent();
        this.replay = loaded.unconfirmed().isEmpty() ? null : new Replay(loaded.unconfirmed());
    }

    /** Where to read the process's output from: the stream offsets of the last checkpoint. */
    public Position resumeFrom() {
        return resumeFrom;
    }

    /** Bytes the process appended to {@code stream}, in file order; both streams may come from different threads. */
    public synchronized void output(LogStream stream, byte[] bytes) {
        if (!accepting) {
            return; // the next runner reads them again from the last checkpoint
        }
        if (replay == null) {
            ship(stream, bytes);
            return;
        }
        for (Replay.Ready ready : replay.accept(stream, bytes)) {
            lastSent = new Sent(position, shipper.send(process, launchCommandId, ready.chunk(), ready.bytes()));
        }
        if (replay.done()) {
            Replay finished = replay;
            replay = null;
            for (LogStream each : LogStream.values()) {
                ship(each, finished.leftover(each));
            }
        }
    }

    /**
     * The job's log directory is full: the job's shipped output ends here, with a chunk of no bytes of its own
     * flagged truncated that says so (once per job; the job's other processes ship nothing more either).
     */
    public synchronized void logDirectoryFull(LogStream stream, long quotaBytes) {
        if (!accepting || replay != null || !shipper.budget().exhaust()) {
            return;
        }
        Chunk chunk = new Chunk(position.nextSequence(), stream, position.offset(stream), 0, true, quotaBytes);
        journal.append(chunk);
        position = position.after(chunk);
        lastSent = new Sent(position, shipper.send(process, launchCommandId, chunk, new byte[0]));
    }

    /**
     * Records what the broker acknowledged: the last chunk sent if it is acknowledged already, else the last one sent
     * before the previous call (which nearly always is by now). Not during a replay, whose chunks are noted only in
     * the journal lines the checkpoint would drop.
     */
    public synchronized void checkpoint() {
        if (retired || replay != null) {
            return;
        }
        Sent previous = sentBeforeLastCheckpoint;
        sentBeforeLastCheckpoint = lastSent;
        Sent confirmed = lastSent != null && lastSent.acknowledged() ? lastSent
                : previous != null && previous.acknowledged() ? previous : null;
        if (confirmed != null && !confirmed.position().equals(checkpointed)) {
            journal.checkpoint(confirmed.position(), confirmed == lastSent);
            checkpointed = confirmed.position();
        }
    }

    /** Takes no more output (the runner stops): what comes later is read again by the next runner. */
    public synchronized void stopAccepting() {
        accepting = false;
    }

    /** The process's exit was reported: there is nothing left to ship or to checkpoint. */
    public synchronized void retire() {
        accepting = false;
        retired = true;
        journal.close();
    }

    private void ship(LogStream stream, byte[] bytes) {
        if (bytes.length <= MAX_CHUNK) {
            shipChunk(stream, bytes);
            return;
        }
        for (int from = 0; from < bytes.length; from += MAX_CHUNK) {
            shipChunk(stream, Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + MAX_CHUNK)));
        }
    }

    private void shipChunk(LogStream stream, byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        int allowed = shipper.budget().take(bytes.length);
        if (allowed < 0) {
            return; // past the job's log cap: only the log files keep it
        }
        boolean truncated = allowed < bytes.length;
        Chunk chunk = new Chunk(position.nextSequence(), stream, position.offset(stream), allowed, truncated);
        journal.append(chunk);
        byte[] kept = truncated ? Arrays.copyOf(bytes, allowed) : bytes;
        position = position.after(chunk);
        lastSent = new Sent(position, shipper.send(process, launchCommandId, chunk, kept));
    }
}
