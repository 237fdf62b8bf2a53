package io.sluice.runner.publish.logs;

import io.sluice.events.logs.LogStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one process's log shipper sent, on the node's disk: a checkpoint of what the broker acknowledged (`.shipped`,
 * rewritten now and then and at shutdown) and, after it, one line per chunk handed to the producer (`.sending`,
 * appended before the send and never forced: it only has to outlive the runner's JVM, not the host). A restarted
 * runner resumes at the checkpoint and sends the chunks listed after it again exactly as they were.
 */
public final class ShippingJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShippingJournal.class);

    /**
     * A chunk handed to the producer: its sequence number, stream, offset and how many of the stream's bytes;
     * {@code truncated} when the job's shipped output ends with it, {@code quotaBytes} the quota of the job's log
     * directory when that is because the directory is full (rather than the log cap), else 0.
     */
    public record Chunk(long sequence, LogStream stream, long offset, int length, boolean truncated,
                        long quotaBytes) {

        public Chunk(long sequence, LogStream stream, long offset, int length, boolean truncated) {
            this(sequence, stream, offset, length, truncated, 0);
        }
    }

    /** Where shipping stands after some chunk: the next sequence number, the stream offsets, the job's bytes taken. */
    public record Position(long nextSequence, long stdoutOffset, long stderrOffset, long takenBytes,
                           boolean truncated) {

        public static final Position START = new Position(0, 0, 0, 0, false);

        long offset(LogStream stream) {
            return stream == LogStream.STDOUT ? stdoutOffset : stderrOffset;
        }

        Position after(Chunk chunk) {
            long end = chunk.offset() + chunk.length();
            return new Position(chunk.sequence() + 1, chunk.stream() == LogStream.STDOUT ? end : stdoutOffset,
                    chunk.stream() == LogStream.STDERR ? end : stderrOffset, takenBytes + chunk.length(),
                    truncated || chunk.truncated());
        }
    }

    /** What the journal holds: the last checkpoint and the chunks sent after it, unconfirmed. */
    public record Loaded(Position checkpoint, List<Chunk> unconfirmed) {

        /** Where shipping stood when the previous runner stopped: after the last chunk it sent. */
        public Position sent() {
            Position position = checkpoint;
            for (Chunk chunk : unconfirmed) {
                position = position.after(chunk);
            }
            return position;
        }
    }

    private final Path checkpointFile;
    private final Path sendingFile;
    private FileChannel sending;

    private ShippingJournal(Path checkpointFile, Path sendingFile) {
        this.checkpointFile = checkpointFile;
        this.sendingFile = sendingFile;
    }

    /** The journal whose files are {@code <base>.shipped} and {@code <base>.sending}. */
    public static ShippingJournal at(Path base) {
        return new ShippingJournal(base.resolveSibling(base.getFileName() + ".shipped"),
                base.resolveSibling(base.getFileName() + ".sending"));
    }

    /** Reads the journal; chunk lines that do not follow on from the checkpoint (older, torn) are ignored. */
    public Loaded load() {
        Position checkpoint = readCheckpoint().orElse(Position.START);
        List<Chunk> unconfirmed = new ArrayList<>();
        Position position = checkpoint;
        for (Chunk chunk : readChunks()) {
            if (chunk.sequence() < position.nextSequence()) {
                continue; // confirmed by the checkpoint
            }
            if (chunk.sequence() != position.nextSequence() || chunk.offset() != position.offset(chunk.stream())) {
                break;
            }
            unconfirmed.add(chunk);
            position = position.after(chunk);
        }
        return new Loaded(checkpoint, List.copyOf(unconfirmed));
    }

    /** Notes a chunk before it is sent; a crash leaves the line, so the next runner sends the chunk again as it was. */
    public void append(Chunk chunk) {
        String line = chunk.sequence() + " " + chunk.stream() + " " + chunk.offset() + " " + chunk.length() + " "
                + chunk.truncated() + (chunk.quotaBytes() > 0 ? " quota=" + chunk.quotaBytes() : "") + "\n";
        try {
            if (sending == null) {
                sending = FileChannel.open(sendingFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            sending.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot note a log chunk in " + sendingFile, e);
        }
    }

    /**
     * Records that everything up to {@code position} reached the broker. With {@code nothingAfter} (no chunk was sent
     * since), the chunk lines are dropped too; the checkpoint is written first, so a crash in between is harmless.
     */
    public void checkpoint(Position position, boolean nothingAfter) {
        String text = position.nextSequence() + " " + position.stdoutOffset() + " " + position.stderrOffset() + " "
                + position.takenBytes() + " " + position.truncated() + "\n";
        Path temporary = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, text);
            Files.move(temporary, checkpointFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (nothingAfter && sending != null) {
                sending.truncate(0);
            } else if (nothingAfter) {
                Files.deleteIfExists(sendingFile); // lines a previous runner left, all confirmed now
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log shipping checkpoint " + checkpointFile, e);
        }
    }

    @Override
    public void close() {
        if (sending != null) {
            try {
                sending.close();
            } catch (IOException ignored) {
                // nothing was buffered: every line went to the file with its own write
            }
            sending = null;
        }
    }

    private Optional<Position> readCheckpoint() {
        if (!Files.exists(checkpointFile)) {
            return Optional.empty(); // a process's first launch: asking spares the exception of a missing file
        }
        String text;
        try {
            text = Files.readString(checkpointFile);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + checkpointFile, e);
        }
        try {
            String[] parts = text.strip().split(" ");
            return Optional.of(new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    Long.parseLong(parts[2]), Long.parseLong(parts[3]), Boolean.parseBoolean(parts[4])));
        } catch (RuntimeException e) {
            // It is replaced whole by a rename, so only a damaged disk gets here: better ship all again than nothing.
            LOG.error("the log shipping checkpoint {} is damaged ('{}'): the output is shipped again from its "
                    + "first byte", checkpointFile, text.strip());
            return Optional.empty();
        }
    }

    private List<Chunk> readChunks() {
        if (!Files.exists(sendingFile)) {
            return List.of(); // a process's first launch: asking spares the exception of a missing file
        }
        String content;
        try {
            content = Files.readString(sendingFile);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sendingFile, e);
        }
        List<Chunk> chunks = new ArrayList<>();
        for (String line : content.substring(0, content.lastIndexOf('\n') + 1).lines().toList()) {
            try {
                String[] parts = line.split(" ");
                chunks.add(new Chunk(Long.parseLong(parts[0]), LogStream.valueOf(parts[1]), Long.parseLong(parts[2]),
                        Integer.parseInt(parts[3]), Boolean.parseBoolean(parts[4]),
                        parts.length > 5 ? Long.parseLong(parts[5].substring("quota=".length())) : 0));
            } catch (RuntimeException e) {
                LOG.error("{} has a damaged line ('{}'): chunks from there on are shipped anew", sendingFile, line);
                break;
            }
        }
        return chunks;
    }
}
