package io.sluice.cli.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import io.sluice.cli.CliFailure;

/**
 * The directory {@code sluice dev} keeps its data in: marked as its own (so {@code --fresh} never deletes a directory
 * it did not make), and locked for as long as one run uses it (two brokers on the same logs would corrupt them).
 */
final class DataDirectory implements AutoCloseable {

    static final String MARKER = ".sluice-dev";

    private final Path root;
    private final FileChannel markerChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel markerChannel, FileLock lock) {
        this.root = root;
        this.markerChannel = markerChannel;
        this.lock = lock;
    }

    /** Creates (or, with {@code fresh}, empties) the directory and locks it. */
    static DataDirectory open(Path root, boolean fresh) {
        try {
            if (Files.isDirectory(root) && !isEmpty(root) && !Files.exists(root.resolve(MARKER))) {
                throw new CliFailure(root + " holds files that sluice dev did not create (no " + MARKER
                        + " file in it); choose another --data-dir");
            }
            Files.createDirectories(root);
            Path marker = root.resolve(MARKER);
            FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new CliFailure("another sluice dev is running with its data in " + root
                        + "; stop it first, or give this one another --data-dir");
            }
            DataDirectory directory = new DataDirectory(root, channel, lock);
            if (fresh) {
                directory.deleteEverythingButTheMarker();
            }
            return directory;
        } catch (IOException e) {
            throw new CliFailure("cannot use " + root + " as the data directory", e);
        }
    }

    /** The lock, or null when another process (or, in a test, this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            return null;
        }
    }

    Path root() {
        return root;
    }

    Path kafka() {
        return root.resolve("kafka");
    }

    Path postgres() {
        return root.resolve("postgres");
    }

    /** The server of jobs' scratch databases: apart from the services' own, which jobs must not reach. */
    Path scratchPostgres() {
        return root.resolve("scratch-postgres");
    }

    /** The service's working directory: whatever it writes to relative paths stays with the dev data. */
    Path workingDirectoryOf(SluiceService service) {
        Path directory = root.resolve("services").resolve(service.moduleName());
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new CliFailure("cannot create " + directory, e);
        }
    }

    @Override
    public void close() {
        try (markerChannel) {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteEverythingButTheMarker() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.filter(entry -> !entry.getFileName().toString().equals(MARKER)).toList()) {
                deleteRecursively(entry);
            }
        }
    }

    private static void deleteRecursively(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
