package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.store.isolation.process.JobLogDirectory;
import io.sluice.runner.store.isolation.process.LogOffsets;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a listener with what is appended to a process's two log files, by polling them every few milliseconds.
 *
 * <p>Following the files rather than pipes is what lets output survive a stop and a runner restart: the files are
 * the truth, and a follower can start at any byte offset.
 */
final class LogFollower {

    /** Poll interval: a line reaches the listener within about this long. */
    static final long POLL_MILLIS = 20;
    private static final int CHUNK = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);

    private final String processName;
    private final OutputListener listener;
    private final Stream stdout;
    private final Stream stderr;
    private ScheduledFuture<?> schedule;
    private boolean quotaChecked;
    private FileStore quota;
    private boolean quotaReported;

    LogFollower(String processName, OutputListener listener, ProcessRecord record, LogOffsets from) {
        this.processName = processName;
        this.listener = listener;
        this.stdout = new Stream(OutputStream.STDOUT, record.logOf(OutputStream.STDOUT),
                record.logStartOf(OutputStream.STDOUT) + from.of(OutputStream.STDOUT));
        this.stderr = new Stream(OutputStream.STDERR, record.logOf(OutputStream.STDERR),
                record.logStartOf(OutputStream.STDERR) + from.of(OutputStream.STDERR));
    }

    synchronized void start(ScheduledExecutorService ticker) {
        schedule = ticker.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Delivers whatever is left and stops following. */
    void finish() {
        synchronized (this) {
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
        poll();
        stdout.close();
        stderr.close();
    }

    void stop() {
        synchronized (this) {
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
    }

    private void poll() {
        stdout.drain();
        stderr.drain();
        checkQuota();
    }

    /** Tells the listener once when the job's log directory, a quota, is full; nothing for a plain directory. */
    private synchronized void checkQuota() {
        if (quotaChecked && quota == null || quotaReported) {
            return;
        }
        try {
            if (!quotaChecked) {
                Path dir = stdout.file.getParent();
                quota = JobLogDirectory.isMountPoint(dir) ? Files.getFileStore(dir) : null;
                quotaChecked = true;
            }
            if (quota != null && JobLogDirectory.full(quota)) {
                quotaReported = true;
                stdout.drain(); // what was written before it filled up
                stderr.drain();
                listener.logDirectoryFull(processName, quota.getTotalSpace());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot check the log quota of {}: {}", processName, e.toString());
        }
    }

    /** One followed file; drain() is synchronized so that bytes reach the listener in file order. */
    private final class Stream {
        private final OutputStream which;
        private final Path file;
        private long position;
        private FileChannel channel;
        private boolean closed;

        Stream(OutputStream which, Path file, long position) {
            this.which = which;
            this.file = file;
            this.position = position;
        }

        synchronized void drain() {
            if (closed) {
                return;
            }
            try {
                if (channel == null) {
                    // Never through a link: the job may replace its log file with one to a file only root reads.
                    channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                }
                long available;
                // Sized to what is there: a fixed 64 KiB buffer per poll made megabytes of garbage per second.
                while ((available = channel.size() - position) > 0) {
                    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, available));
                    int read = channel.read(buffer, position);
                    if (read <= 0) {
                        break;
                    }
                    position += read;
                    deliver(read == buffer.capacity() ? buffer.array() : Arrays.copyOf(buffer.array(), read));
                }
            } catch (IOException e) {
                LOG.debug("cannot read {} yet: {}", file, e.toString());
            }
        }

        private void deliver(byte[] bytes) {
            try {
                listener.output(processName, which, bytes);
            } catch (RuntimeException e) {
                LOG.warn("output listener of {} failed; the bytes stay in {}", processName, file, e);
            }
        }

        synchronized void close() {
            closed = true;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }
}
