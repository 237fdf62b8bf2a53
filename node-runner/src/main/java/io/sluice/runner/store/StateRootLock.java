package io.sluice.runner.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive lock on a state root: two runners adopting and launching the same processes would corrupt it. */
public final class StateRootLock {

    /** The lock file, in the root it guards. */
    public static final String FILE_NAME = "runner.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateRootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static StateRootLock acquire(Path stateRoot) {
        Path file = stateRoot.resolve(FILE_NAME);
        try {
            Files.createDirectories(stateRoot);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another runner uses the state root " + stateRoot
                        + " (it holds " + file + ")");
            }
            return new StateRootLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the state root " + stateRoot, e);
        }
    }

    public void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel
        }
    }
}
