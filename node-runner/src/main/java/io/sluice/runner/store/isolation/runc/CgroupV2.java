package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.domain.IsolationFacts;
import io.sluice.runner.store.isolation.process.ProcFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads counters of, kills and removes the jobs' cgroups in the cgroup v2 (unified) hierarchy, whose files the
 * kernel's admin guide (Documentation/admin-guide/cgroup-v2.rst) describes; runc creates the cgroups and sets their
 * limits, enabling the controllers in each ancestor's cgroup.subtree_control on its way down.
 */
final class CgroupV2 implements JobCgroups {

    static final Path DEFAULT_MOUNT = Path.of("/sys/fs/cgroup");

    private final Path mount;

    CgroupV2(Path mount) {
        this.mount = mount;
    }

    @Override
    public String hierarchy() {
        return "v2";
    }

    @Override
    public String describe() {
        return "cgroup v2 (unified) at " + mount + ", controllers: "
                + readQuietly(mount.resolve("cgroup.controllers")).strip();
    }

    private Path dirOf(String cgroupPath) {
        return mount.resolve(JobCgroups.relative(cgroupPath));
    }

    /** One hierarchy for every controller. */
    @Override
    public Optional<Path> dir(String controller, String cgroupPath) {
        Path dir = dirOf(cgroupPath);
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * memory.events' oom_kill counts the processes of the cgroup (and, unless the hierarchy is mounted with
     * memory_localevents, of its descendants: a container's cgroup has none) the OOM killer killed.
     */
    @Override
    public boolean oomKilled(String cgroupPath) {
        return JobCgroups.readKey(dirOf(cgroupPath).resolve("memory.events"), "oom_kill").orElse(0) > 0;
    }

    /** memory.peak came with Linux 5.19; before it the kernel keeps no peak of a v2 cgroup and this is null. */
    @Override
    public Long peakMemory(String cgroupPath) {
        OptionalLong peak = JobCgroups.readNumber(dirOf(cgroupPath).resolve("memory.peak"));
        return peak.isPresent() ? peak.getAsLong() : null;
    }

    /**
     * pids.current; where the pids controller is not enabled for the cgroup (the file is absent but the cgroup is
     * there), the processes in its cgroup.procs files, so that "nothing left" is still told right.
     */
    @Override
    public OptionalLong pidsCurrent(String cgroupPath) {
        Path dir = dirOf(cgroupPath);
        OptionalLong current = JobCgroups.readNumber(dir.resolve("pids.current"));
        if (current.isPresent() || !Files.isDirectory(dir)) {
            return current;
        }
        return OptionalLong.of(JobCgroups.processesUnder(dir).size());
    }

    @Override
    public List<Long> processes(String cgroupPath) {
        return JobCgroups.processesUnder(dirOf(cgroupPath));
    }

    /** cgroup.kill (Linux 5.14) sends SIGKILL to every process of the cgroup and its descendants at once. */
    @Override
    public boolean kill(String cgroupPath) {
        Path file = dirOf(cgroupPath).resolve("cgroup.kill");
        if (!Files.exists(file)) {
            return false;
        }
        try {
            Files.writeString(file, "1", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * rmdir of the cgroup's descendants, deepest first, then of the cgroup; the kernel refuses (EBUSY) a cgroup that
     * still holds a process, and the caller retries.
     */
    @Override
    public boolean remove(String cgroupPath) {
        Path dir = dirOf(cgroupPath);
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (var walk = Files.walk(dir)) {
            for (Path cgroup : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(cgroup);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
        return !Files.exists(dir);
    }

    @Override
    public void removeIfEmpty(String cgroupPath) {
        try {
            Files.deleteIfExists(dirOf(cgroupPath));
        } catch (IOException ignored) {
            // still in use by another container of the job, or not ours to remove
        }
    }

    /**
     * The controllers must be available at the mount and given down to the parent: the runner enables them in the
     * cgroup.subtree_control of every cgroup above the parent (as runc would at the first launch) and creates the
     * parent. The kernel lets a cgroup give controllers to its children only while it has no process of its own
     * (the root of the whole hierarchy excepted): in a container with a cgroup namespace, the runner itself sits in
     * the namespace's root, which must then be emptied first (see node-runner/README.md).
     */
    @Override
    public IsolationFacts.Missing prepareParent(String cgroupParent) {
        List<String> available = controllersIn(mount);
        List<String> unavailable = CONTROLLERS.stream().filter(c -> !available.contains(c)).toList();
        if (!unavailable.isEmpty()) {
            return new IsolationFacts.Missing("the cgroup v2 controllers " + String.join(", ", unavailable)
                    + " are not available at " + mount + " (its cgroup.controllers lists: "
                    + (available.isEmpty() ? "none" : String.join(" ", available)) + ")",
                    "give the runner a cgroup with memory, pids and cpu delegated to it (a container: "
                            + "--privileged --cgroupns=private; see node-runner/README.md)");
        }
        Path current = mount;
        for (String part : JobCgroups.relative(cgroupParent).split("/")) {
            enableControllers(current);
            current = current.resolve(part);
            try {
                Files.createDirectories(current);
            } catch (IOException e) {
                return new IsolationFacts.Missing("cannot create the cgroup " + current + " (" + e + ")",
                        "give the runner a writable " + mount + " (in a container: run it privileged)");
            }
        }
        List<String> given = controllersIn(current);
        List<String> notGiven = CONTROLLERS.stream().filter(c -> !given.contains(c)).toList();
        if (notGiven.isEmpty()) {
            return null;
        }
        Path parentOfParent = current.getParent();
        List<String> procs = words(readQuietly(parentOfParent.resolve("cgroup.procs")));
        String why = procs.isEmpty() ? "" : ": " + parentOfParent + " holds processes of its own (pids "
                + String.join(" ", procs.subList(0, Math.min(5, procs.size())))
                + "), and cgroup v2 lets only a cgroup without processes give controllers to its children";
        return new IsolationFacts.Missing("the cgroup controllers " + String.join(", ", notGiven)
                + " cannot be enabled for " + current + why,
                "move the processes of " + parentOfParent.resolve("cgroup.procs") + " into a child cgroup before "
                        + "the runner starts (see node-runner/README.md)");
    }

    /** Writes each missing controller to the cgroup's cgroup.subtree_control, one at a time, ignoring refusals. */
    private static void enableControllers(Path cgroup) {
        List<String> enabled = words(readQuietly(cgroup.resolve("cgroup.subtree_control")));
        for (String controller : CONTROLLERS) {
            if (!enabled.contains(controller)) {
                try {
                    Files.writeString(cgroup.resolve("cgroup.subtree_control"), "+" + controller,
                            StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                } catch (IOException refused) {
                    // told by the parent's cgroup.controllers afterwards, with the reason
                }
            }
        }
    }

    /**
     * runc writes memory.swap.max (0 with swap == limit, the same meaning as v1's memory.memsw) and fails the launch
     * when the file is absent: the kernel accounts for no swap (CONFIG_MEMCG_SWAP off, or swapaccount=0). The file
     * exists in a non-root cgroup with the memory controller only: the prepared parent's.
     */
    @Override
    public boolean swapLimitable(String cgroupParent) {
        prepareParent(cgroupParent);
        return Files.exists(dirOf(cgroupParent).resolve("memory.swap.max"));
    }

    private static List<String> controllersIn(Path cgroup) {
        return words(readQuietly(cgroup.resolve("cgroup.controllers")));
    }

    /** The text of a cgroup file; empty when it cannot be read (absent, or the cgroup went away). */
    private static String readQuietly(Path file) {
        try {
            return ProcFiles.readIfExists(file).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
