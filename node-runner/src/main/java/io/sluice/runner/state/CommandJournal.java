package io.sluice.runner.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The node's durable memory of the commands it applied: one line per command (offset, event id), appended and
 * forced to disk after the command took effect. A restarted runner resumes after the last offset and never
 * applies a command twice, even when the topic is replayed. A line torn by a crash is ignored: its command was
 * not recorded, so it is applied again, and commands are idempotent.
 */
public final class CommandJournal implements AutoCloseable {

    private final FileChannel file;
    private final Set<String> applied = new HashSet<>();
    private long lastOffset = -1;

    private CommandJournal(FileChannel file) {
        this.file = file;
    }

    public static CommandJournal open(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        CommandJournal journal = new CommandJournal(FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE));
        journal.load(path);
        return journal;
    }

    private void load(Path path) throws IOException {
        String content = Files.readString(path, StandardCharsets.UTF_8);
        int complete = content.lastIndexOf('\n') + 1;
        List<String> lines = content.substring(0, complete).lines().toList();
        for (String line : lines) {
            int tab = line.indexOf('\t');
            lastOffset = Math.max(lastOffset, Long.parseLong(line.substring(0, tab)));
            applied.add(line.substring(tab + 1));
        }
        // Cut a torn last line so the next append starts on a line of its own.
        file.truncate(content.substring(0, complete).getBytes(StandardCharsets.UTF_8).length);
        file.position(file.size());
    }

    public synchronized boolean isApplied(String commandId) {
        return applied.contains(commandId);
    }

    /** The offset to resume reading at, if any command was recorded. */
    public synchronized OptionalLong resumeOffset() {
        return lastOffset < 0 ? OptionalLong.empty() : OptionalLong.of(lastOffset + 1);
    }

    /** Records that the command at {@code offset} took effect; returns once it is on disk. */
    public synchronized void record(long offset, String commandId) {
        try {
            file.write(ByteBuffer.wrap((offset + "\t" + commandId + "\n").getBytes(StandardCharsets.UTF_8)));
            file.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record command " + commandId + " in the node's journal", e);
        }
        applied.add(commandId);
        lastOffset = Math.max(lastOffset, offset);
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
