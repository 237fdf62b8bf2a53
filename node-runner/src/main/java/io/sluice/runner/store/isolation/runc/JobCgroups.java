package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.domain.IsolationFacts;
import io.sluice.runner.store.isolation.process.ProcFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cgroup files of the jobs' containers, read and removed alike on a cgroup v1 (or hybrid) host and on a cgroup
 * v2 (unified) host; which of the two a host has is found once, from /proc/self/mountinfo.
 */
sealed interface JobCgroups permits CgroupV1, CgroupV2 {

    /** The controllers the jobs' limits need: memory (and OOM kills), pids (and the fork bomb), cpu (its weight). */
    List<String> CONTROLLERS = List.of("memory", "pids", "cpu");

    /** "v1", "hybrid", "v2", or "none" when no cgroup hierarchy is mounted. */
    String hierarchy();

    /** Where the hierarchy is, for the log: the mount points of its controllers. */
    String describe();

    /** Whether the kernel's OOM killer killed a process of this cgroup. */
    boolean oomKilled(String cgroupPath);

    /** The most memory the cgroup used, in bytes; null when the kernel does not tell. */
    Long peakMemory(String cgroupPath);

    /** How many tasks the cgroup (and its descendants) holds; empty when the cgroup does not exist (any more). */
    OptionalLong pidsCurrent(String cgroupPath);

    /** Host pids of every process in the cgroup and its descendants. */
    List<Long> processes(String cgroupPath);

    /** Kills every process of the cgroup and its descendants at once where the kernel can; false where it cannot. */
    boolean kill(String cgroupPath);

    /** Removes the cgroup (its descendants first); true when it is gone afterwards. */
    boolean remove(String cgroupPath);

    /** Removes the cgroup if nothing is in it any more (another container of the job may still be). */
    void removeIfEmpty(String cgroupPath);

    /** The directory of the cgroup in the hierarchy of {@code controller}, if it exists. */
    Optional<Path> dir(String controller, String cgroupPath);

    /**
     * Makes {@code cgroupParent} ready for runc to create the jobs' cgroups under, as far as the runner may; what
     * keeps the jobs from being limited there, or null when nothing does.
     */
    IsolationFacts.Missing prepareParent(String cgroupParent);

    /** Whether runc can cap the swap of the containers under {@code cgroupParent} (the kernel accounts for swap). */
    boolean swapLimitable(String cgroupParent);

    /** This host's hierarchy, found once per runner. */
    static JobCgroups host() {
        return HostCgroups.HOST;
    }

    /** The hierarchy a /proc/self/mountinfo describes. */
    static JobCgroups of(List<String> mountinfo) {
        Map<String, Path> v1 = new LinkedHashMap<>();
        List<Path> unified = new ArrayList<>();
        for (String line : mountinfo) {
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] before = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + 3).split(" ");
            if (before.length < 5 || after.length < 1) {
                continue;
            }
            Path mountPoint = Path.of(before[4]);
            if (after[0].equals("cgroup2")) {
                unified.add(mountPoint);
            } else if (after[0].equals("cgroup") && after.length >= 3) {
                for (String option : after[2].split(",")) {
                    v1.putIfAbsent(option, mountPoint);
                }
            }
        }
        // Hybrid hosts mount a cgroup2 hierarchy beside the v1 controllers, without them: the controllers decide.
        if (CONTROLLERS.stream().anyMatch(v1::containsKey) || unified.isEmpty()) {
            return new CgroupV1(v1, unified.isEmpty() ? null : unified.get(0));
        }
        Path preferred = unified.stream().filter(p -> p.equals(CgroupV2.DEFAULT_MOUNT)).findFirst()
                .orElse(unified.get(0));
        return new CgroupV2(preferred);
    }

    /** Reads a file of numbers as one number ("max" as Long.MAX_VALUE); empty when absent or not a number. */
    static OptionalLong readNumber(Path file) {
        try {
            String text = ProcFiles.readIfExists(file).orElse("").strip();
            if (text.isEmpty()) {
                return OptionalLong.empty();
            }
            return text.equals("max") ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The value of {@code key} in a flat-keyed file ("key value" lines, as memory.events); empty when absent. */
    static OptionalLong readKey(Path file, String key) {
        try {
            Optional<String> text = ProcFiles.readIfExists(file);
            if (text.isEmpty()) {
                return OptionalLong.empty();
            }
            for (String line : text.get().split("\n")) {
                if (line.startsWith(key + " ")) {
                    return OptionalLong.of(Long.parseLong(line.substring(key.length() + 1).strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The pids in {@code dir}'s cgroup.procs and in those of its descendants. */
    static List<Long> processesUnder(Path dir) {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (var walk = Files.walk(dir)) {
            walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).forEach(p -> {
                try {
                    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            pids.add(Long.parseLong(line.strip()));
                        }
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // the cgroup went away while we read it
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // the cgroup went away while we walked it
        }
        return pids;
    }

    /** A cgroup path ("/sluice/job/id") relative to a hierarchy's mount point. */
    static String relative(String cgroupPath) {
        int start = 0;
        while (start < cgroupPath.length() && cgroupPath.charAt(start) == '/') {
            start++;
        }
        return cgroupPath.substring(start);
    }

    /** The host's hierarchy, read from /proc/self/mountinfo the first time it is asked for. */
    final class HostCgroups {
        private static final JobCgroups HOST = discover();

        private HostCgroups() {
        }

        private static JobCgroups discover() {
            try {
                return of(Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return of(List.of());
            }
        }
    }
}
