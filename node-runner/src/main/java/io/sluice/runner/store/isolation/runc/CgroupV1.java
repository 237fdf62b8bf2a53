package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.store.isolation.process.ProcFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads counters of, and removes, cgroup v1 directories of the controllers mounted on this host; on a hybrid host
 * runc also creates the container's cgroup in the cgroup2 ("unified") hierarchy, which removal covers too.
 */
final class CgroupV1 {

    private static final String UNIFIED = "unified (cgroup2)";

    private final Map<String, Path> mountByController;

    private CgroupV1(Map<String, Path> mountByController) {
        this.mountByController = mountByController;
    }

    /** The controllers mounted as cgroup v1 hierarchies, found in /proc/self/mountinfo. */
    static CgroupV1 discover() {
        Map<String, Path> mounts = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                int separator = line.indexOf(" - ");
                if (separator < 0) {
                    continue;
                }
                String[] before = line.substring(0, separator).split(" ");
                String[] after = line.substring(separator + 3).split(" ");
                if (after.length >= 1 && after[0].equals("cgroup2")) {
                    mounts.putIfAbsent(UNIFIED, Path.of(before[4]));
                    continue;
                }
                if (after.length < 3 || !after[0].equals("cgroup")) {
                    continue;
                }
                for (String option : after[2].split(",")) {
                    mounts.putIfAbsent(option, Path.of(before[4]));
                }
            }
        } catch (IOException e) {
            return new CgroupV1(Map.of());
        }
        return new CgroupV1(mounts);
    }

    boolean has(String controller) {
        return mountByController.containsKey(controller);
    }

    Optional<Path> dir(String controller, String cgroupPath) {
        Path mount = mountByController.get(controller);
        if (mount == null) {
            return Optional.empty();
        }
        Path dir = mount.resolve(relative(cgroupPath));
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** A number in a cgroup file; empty when the cgroup (or the controller) does not exist. */
    OptionalLong readLong(String controller, String cgroupPath, String file) {
        return fileOf(controller, cgroupPath, file).map(CgroupV1::readNumber).orElse(OptionalLong.empty());
    }

    /** Whether the kernel's OOM killer killed a process of this memory cgroup (memory.oom_control's oom_kill). */
    boolean oomKilled(String cgroupPath) {
        return fileOf("memory", cgroupPath, "memory.oom_control").map(file -> {
            try {
                for (String line : ProcFiles.read(file).split("\n")) {
                    if (line.startsWith("oom_kill ")) {
                        return Long.parseLong(line.substring("oom_kill ".length()).strip()) > 0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return false;
            }
            return false;
        }).orElse(false);
    }

    /** A file of a cgroup, without checking that it exists: reading it tells, for one system call less. */
    private Optional<Path> fileOf(String controller, String cgroupPath, String file) {
        Path mount = mountByController.get(controller);
        return mount == null ? Optional.empty()
                : Optional.of(mount.resolve(relative(cgroupPath)).resolve(file));
    }

    Long peakMemory(String cgroupPath) {
        OptionalLong peak = readLong("memory", cgroupPath, "memory.max_usage_in_bytes");
        return peak.isPresent() ? peak.getAsLong() : null;
    }

    /** pids.current, empty when the cgroup does not exist (any more). */
    OptionalLong pidsCurrent(String cgroupPath) {
        return readLong("pids", cgroupPath, "pids.current");
    }

    /** Host pids of every process in the pids cgroup and its descendants. */
    List<Long> processes(String cgroupPath) {
        List<Long> pids = new ArrayList<>();
        dir("pids", cgroupPath).ifPresent(d -> {
            try (var walk = Files.walk(d)) {
                walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).forEach(p -> {
                    try {
                        for (String line : Files.readAllLines(p)) {
                            if (!line.isBlank()) {
                                pids.add(Long.parseLong(line.strip()));
                            }
                        }
                    } catch (IOException | NumberFormatException ignored) {
                        // the cgroup went away while we read it
                    }
                });
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // the cgroup went away while we walked it
            }
        });
        return pids;
    }

    /** Removes the cgroup in every hierarchy; true when it exists in none afterwards. */
    boolean remove(String cgroupPath) {
        boolean gone = true;
        for (Path mount : distinctMounts()) {
            Path dir = mount.resolve(relative(cgroupPath));
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                gone = false;
            }
        }
        return gone;
    }

    /** Removes the directory {@code cgroupPath} in every hierarchy where it exists and is empty. */
    void removeIfEmpty(String cgroupPath) {
        for (Path mount : distinctMounts()) {
            Path dir = mount.resolve(relative(cgroupPath));
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // still in use by another container of the job, or not ours to remove
            }
        }
    }

    private static String relative(String cgroupPath) {
        int start = 0;
        while (start < cgroupPath.length() && cgroupPath.charAt(start) == '/') {
            start++;
        }
        return cgroupPath.substring(start);
    }

    private Collection<Path> distinctMounts() {
        return new LinkedHashSet<>(mountByController.values());
    }

    private static OptionalLong readNumber(Path file) {
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
}
