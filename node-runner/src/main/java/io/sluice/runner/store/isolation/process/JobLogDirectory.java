package io.sluice.runner.store.isolation.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A job's log directory bounded by a quota: a tmpfs of the quota's size mounted over {@code <logs>/<job>} by the
 * (root) runner at the job's first launch, so that whatever the job writes there (its output, files of its own) stops
 * at the quota with ENOSPC; released at cleanup, keeping on disk only its processes' stdout and stderr files.
 */
public final class JobLogDirectory {

    /** At most this many files and directories in a job's log directory; each costs kernel memory, not quota. */
    public static final int MAX_ENTRIES = 4096;
    /** The directory counts as full when less than a page is left: tmpfs allocates whole pages. */
    static final long FULL_BELOW_BYTES = 4096;
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(10);
    private static final String KEPT_PREFIX = ".kept-";

    private JobLogDirectory() {
    }

    /**
     * Mounts the quota over {@code dir} unless it is mounted already (a later process of the job, a restarted
     * runner), given to {@code uid}/{@code gid}; files an earlier worker of the job left there are copied in.
     */
    public static void mount(Path dir, long quotaBytes, int uid, int gid) throws IOException {
        Files.createDirectories(dir);
        if (isMountPoint(dir)) {
            return;
        }
        Path earlier = null;
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                earlier = dir.resolveSibling(KEPT_PREFIX + dir.getFileName() + ".before");
                deleteTree(earlier);
                Files.move(dir, earlier);
                Files.createDirectory(dir);
            }
        }
        HostCommands.Result mounted = HostCommands.run(List.of("mount", "-t", "tmpfs", "-o",
                "size=" + quotaBytes + ",nr_inodes=" + MAX_ENTRIES + ",mode=0700,uid=" + uid + ",gid=" + gid
                        + ",nosuid,nodev,noexec", "sluice-job-logs", dir.toString()), MOUNT_TIMEOUT);
        if (!mounted.ok()) {
            throw new IOException("cannot mount the job's log quota on " + dir + ": " + mounted.output());
        }
        if (earlier != null) {
            copyRegularFiles(earlier, dir, names(earlier), quotaBytes);
            deleteTree(earlier);
        }
    }

    /** Whether the directory is the mount of a quota (its own file system, not its parent's). */
    public static boolean isMountPoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Object own = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Object parent = Files.getAttribute(dir.getParent(), "unix:dev");
        return !own.equals(parent);
    }

    /** Whether the file system holding {@code store}, the quota of a job's log directory, is full. */
    public static boolean full(FileStore store) throws IOException {
        return store.getUsableSpace() < FULL_BELOW_BYTES;
    }

    /**
     * Cleans a job's log directory up once the job has no worker left on the node: keeps the stdout and stderr
     * files of {@code processes} (regular files only, no more bytes in all than the quota holds) on the node's disk
     * and drops everything else the job wrote there, with the quota's mount. Can be called again after a crash.
     */
    public static void release(Path dir, Collection<String> processes) throws IOException {
        List<String> kept = new ArrayList<>();
        for (String process : processes) {
            for (OutputStream stream : OutputStream.values()) {
                kept.add(process + "." + stream.logSuffix());
            }
        }
        Path staging = dir.resolveSibling(KEPT_PREFIX + dir.getFileName());
        if (isMountPoint(dir)) {
            deleteTree(staging);
            Files.createDirectory(staging);
            copyRegularFiles(dir, staging, kept, Files.getFileStore(dir).getTotalSpace());
            unmount(dir);
        } else if (!Files.isDirectory(staging)) {
            // Not a quota (no runc, or a reboot took it): the files are on disk already; drop the rest.
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    for (Path entry : entries.toList()) {
                        if (!kept.contains(entry.getFileName().toString())
                                || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                            deleteTree(entry);
                        }
                    }
                }
            }
            return;
        }
        deleteTree(dir);
        Files.move(staging, dir);
    }

    private static void unmount(Path dir) throws IOException {
        HostCommands.Result result = HostCommands.run(List.of("umount", dir.toString()), MOUNT_TIMEOUT);
        if (!result.ok() && isMountPoint(dir)) {
            // Busy (a file still open somewhere): detach it now, the kernel frees it when the last file closes.
            HostCommands.Result lazy = HostCommands.run(List.of("umount", "-l", dir.toString()), MOUNT_TIMEOUT);
            if (!lazy.ok() && isMountPoint(dir)) {
                throw new IOException("cannot unmount the job's log quota on " + dir + ": " + lazy.output());
            }
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    /** Copies the named regular files (never through a link the job planted), {@code limit} bytes in all. */
    private static void copyRegularFiles(Path from, Path to, List<String> names, long limit) throws IOException {
        long left = limit;
        for (String name : names) {
            Path source = from.resolve(name);
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                 FileChannel out = FileChannel.open(to.resolve(name), StandardOpenOption.CREATE_NEW,
                         StandardOpenOption.WRITE)) {
                // A sparse file can claim far more than the quota holds: copy what the quota allows, no more.
                long count = Math.min(in.size(), left);
                long done = 0;
                while (done < count) {
                    long n = in.transferTo(done, count - done, out);
                    if (n <= 0) {
                        break;
                    }
                    done += n;
                }
                left -= done;
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
