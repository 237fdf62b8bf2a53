package io.sluice.runner.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node's durable memory of the commands it applied: one line per command (offset, event id, where to resume),
 * appended and forced to disk after the command took effect. A restarted runner resumes where the line says and
 * never applies a command twice, even when the topic is replayed. A line torn by a crash is ignored: its command was
 * not recorded, so it is applied again, and commands are idempotent.
 *
 * <p>Commands of different workers complete out of order, so the place to resume is not after the last offset
 * recorded but at the first offset still being applied (the low watermark): a restart reads again from there and
 * skips by id what was recorded beyond it. The journal learns which offsets are under way from {@link #claim}.
 *
 * <p>It remembers the ids of the last {@value #REMEMBERED} commands, which covers the copies an outbox relay sends
 * again after a crash (they follow the first within seconds), and rewrites its file down to those when the file has
 * twice as many lines: a busy node would otherwise grow the file and the set of ids in memory without end.
 */
public final class CommandJournal implements AutoCloseable {

    static final int REMEMBERED = 50_000;

    private final Path path;
    private final int remembered;
    private FileChannel file;
    private int linesInFile;
    /** The ids of the commands applied, oldest first, with the offset each was read at. */
    private final LinkedHashMap<String, Long> applied;
    private final Set<String> underWay = new HashSet<>();
    private final TreeSet<Long> offsetsUnderWay = new TreeSet<>();
    /** Where a restart resumes, as last written; -1 when nothing was recorded. */
    private long resumeAt = -1;
    /** The offset after the last one the loop read. */
    private long readUpTo = -1;
    private boolean closed;

    private CommandJournal(Path path, int remembered) {
        this.path = path;
        this.remembered = remembered;
        this.applied = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > remembered;
            }
        };
    }

    public static CommandJournal open(Path path) throws IOException {
        return open(path, REMEMBERED);
    }

    /** A journal that remembers the last {@code remembered} commands (tests use a few). */
    static CommandJournal open(Path path, int remembered) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(compacting(path)); // left by a crash before its rename: the journal itself is whole
        CommandJournal journal = new CommandJournal(path, remembered);
        journal.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        journal.load(path);
        return journal;
    }

    private void load(Path path) throws IOException {
        String content = Files.readString(path, StandardCharsets.UTF_8);
        int complete = content.lastIndexOf('\n') + 1;
        List<String> lines = content.substring(0, complete).lines().toList();
        for (String line : lines) {
            String[] fields = line.split("\t");
            // Lines of runners that applied commands one at a time have no third field: they resume after it.
            long resume = fields.length > 2 ? Long.parseLong(fields[2]) : Long.parseLong(fields[0]) + 1;
            resumeAt = Math.max(resumeAt, resume);
            applied.put(fields[1], Long.parseLong(fields[0]));
        }
        linesInFile = lines.size();
        readUpTo = resumeAt;
        // Cut a torn last line so the next append starts on a line of its own.
        file.truncate(content.substring(0, complete).getBytes(StandardCharsets.UTF_8).length);
        file.position(file.size());
    }

    public synchronized boolean isApplied(String commandId) {
        return applied.containsKey(commandId);
    }

    /** The offset to resume reading at, if any command was recorded. */
    public synchronized OptionalLong resumeOffset() {
        return resumeAt < 0 ? OptionalLong.empty() : OptionalLong.of(resumeAt);
    }

    /**
     * Claims the command read at {@code offset} for applying, until {@link #record} says it took effect; false when
     * it was applied before or a copy of it is being applied now: then the loop skips it.
     */
    public synchronized boolean claim(long offset, String commandId) {
        passed(offset);
        if (applied.containsKey(commandId) || !underWay.add(commandId)) {
            return false;
        }
        offsetsUnderWay.add(offset);
        return true;
    }

    /** Notes that the loop read {@code offset} and has nothing to apply there (another node's command). */
    public synchronized void passed(long offset) {
        readUpTo = Math.max(readUpTo, offset + 1);
    }

    /** Records that the command at {@code offset} took effect; returns once it is on disk. */
    public void record(long offset, String commandId) {
        FileChannel written;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the node's command journal is closed: command " + commandId
                        + " is not recorded and will be applied again after a restart");
            }
            offsetsUnderWay.remove(offset);
            readUpTo = Math.max(readUpTo, offset + 1);
            long resume = offsetsUnderWay.isEmpty() ? readUpTo : offsetsUnderWay.first();
            try {
                file.write(ByteBuffer.wrap((offset + "\t" + commandId + "\t" + resume + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record command " + commandId + " in the node's journal", e);
            }
            // Lines are written under the lock, so the resume offsets on disk never go back.
            resumeAt = Math.max(resumeAt, resume);
            applied.put(commandId, offset);
            underWay.remove(commandId);
            if (++linesInFile > 2 * remembered) {
                compact();
            }
            written = file;
        }
        try {
            // Outside the lock: commands of other workers record meanwhile, and one force covers them all.
            written.force(false);
        } catch (ClosedChannelException e) {
            // A compaction replaced the file, with this command in it, and forced it; or the journal was closed.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force command " + commandId + " to the node's journal", e);
        }
    }

    /**
     * Rewrites the file with the commands remembered, each with today's resume offset (they never go back), through a
     * forced copy renamed over it: a crash leaves either the old file or the new one whole.
     */
    private void compact() {
        Path copy = compacting(path);
        StringBuilder lines = new StringBuilder();
        applied.forEach((id, offset) -> lines.append(offset).append('\t').append(id).append('\t').append(resumeAt)
                .append('\n'));
        try {
            try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(copy, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
            FileChannel previous = file;
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            file.position(file.size());
            linesInFile = applied.size();
            previous.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the node's command journal " + path, e);
        }
    }

    private static Path compacting(Path path) {
        return path.resolveSibling(path.getFileName() + ".compacting");
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        file.close();
    }
}
