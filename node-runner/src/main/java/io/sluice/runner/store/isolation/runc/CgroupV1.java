package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.domain.IsolationFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads counters of, and removes, cgroup v1 directories of the controllers mounted on this host; on a hybrid host
 * runc also creates the container's cgroup in the cgroup2 ("unified") hierarchy, which removal covers too.
 */
final class CgroupV1 implements JobCgroups {

    private final Map<String, Path> mountByController;
    /** The cgroup2 mount beside the controllers' (a hybrid host), or null. */
    private final Path unified;

    CgroupV1(Map<String, Path> mountByController, Path unified) {
        this.mountByController = Map.copyOf(mountByController);
        this.unified = unified;
    }

    @Override
    public String hierarchy() {
        if (mountByController.isEmpty()) {
            return "none";
        }
        return unified == null ? "v1" : "hybrid";
    }

    @Override
    public String describe() {
        StringBuilder text = new StringBuilder("cgroup v1 controllers");
        for (String controller : CONTROLLERS) {
            Path mount = mountByController.get(controller);
            text.append(' ').append(controller).append(" at ").append(mount == null ? "(not mounted)" : mount)
                    .append(',');
        }
        text.setLength(text.length() - 1);
        if (unified != null) {
            text.append("; cgroup2 at ").append(unified).append(" (no controllers of the jobs)");
        }
        return text.toString();
    }

    boolean has(String controller) {
        return mountByController.containsKey(controller);
    }

    @Override
    public Optional<Path> dir(String controller, String cgroupPath) {
        Path mount = mountByController.get(controller);
        if (mount == null) {
            return Optional.empty();
        }
        Path dir = mount.resolve(JobCgroups.relative(cgroupPath));
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** A number in a cgroup file; empty when the cgroup (or the controller) does not exist. */
    OptionalLong readLong(String controller, String cgroupPath, String file) {
        return fileOf(controller, cgroupPath, file).map(JobCgroups::readNumber).orElse(OptionalLong.empty());
    }

    /** memory.oom_control's oom_kill counts the processes the OOM killer killed in this memory cgroup. */
    @Override
    public boolean oomKilled(String cgroupPath) {
        return fileOf("memory", cgroupPath, "memory.oom_control")
                .map(file -> JobCgroups.readKey(file, "oom_kill").orElse(0) > 0).orElse(false);
    }

    /** A file of a cgroup, without checking that it exists: reading it tells, for one system call less. */
    private Optional<Path> fileOf(String controller, String cgroupPath, String file) {
        Path mount = mountByController.get(controller);
        return mount == null ? Optional.empty()
                : Optional.of(mount.resolve(JobCgroups.relative(cgroupPath)).resolve(file));
    }

    @Override
    public Long peakMemory(String cgroupPath) {
        OptionalLong peak = readLong("memory", cgroupPath, "memory.max_usage_in_bytes");
        return peak.isPresent() ? peak.getAsLong() : null;
    }

    @Override
    public OptionalLong pidsCurrent(String cgroupPath) {
        return readLong("pids", cgroupPath, "pids.current");
    }

    @Override
    public List<Long> processes(String cgroupPath) {
        return dir("pids", cgroupPath).map(JobCgroups::processesUnder).orElse(List.of());
    }

    /** cgroup v1 has no cgroup.kill: the caller kills by pid. */
    @Override
    public boolean kill(String cgroupPath) {
        return false;
    }

    /** Removes the cgroup in every hierarchy; true when it exists in none afterwards. */
    @Override
    public boolean remove(String cgroupPath) {
        boolean gone = true;
        for (Path mount : distinctMounts()) {
            Path dir = mount.resolve(JobCgroups.relative(cgroupPath));
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                gone = false;
            }
        }
        return gone;
    }

    @Override
    public void removeIfEmpty(String cgroupPath) {
        for (Path mount : distinctMounts()) {
            Path dir = mount.resolve(JobCgroups.relative(cgroupPath));
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // still in use by another container of the job, or not ours to remove
            }
        }
    }

    /** The controllers must be mounted, and the parent creatable in each of their hierarchies. */
    @Override
    public IsolationFacts.Missing prepareParent(String cgroupParent) {
        List<String> unmounted = CONTROLLERS.stream().filter(c -> !has(c)).toList();
        if (!unmounted.isEmpty()) {
            return new IsolationFacts.Missing("the cgroup controllers " + String.join(", ", unmounted)
                    + " are mounted neither as cgroup v1 hierarchies nor in a cgroup v2 hierarchy at "
                    + CgroupV2.DEFAULT_MOUNT, "mount the memory, pids and cpu cgroup controllers (any systemd host "
                    + "does, v1 or v2)");
        }
        for (String controller : CONTROLLERS) {
            Path dir = mountByController.get(controller).resolve(JobCgroups.relative(cgroupParent));
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                return new IsolationFacts.Missing("cannot create the cgroup " + dir + " (" + e + ")",
                        "give the runner a writable " + mountByController.get(controller)
                                + " (in a container: run it privileged)");
            }
        }
        return null;
    }

    /** Without swap accounting (memory.memsw.*) runc refuses a swap limit; memory alone is then the limit. */
    @Override
    public boolean swapLimitable(String cgroupParent) {
        return readLong("memory", "/", "memory.memsw.limit_in_bytes").isPresent();
    }

    private Collection<Path> distinctMounts() {
        LinkedHashSet<Path> mounts = new LinkedHashSet<>(mountByController.values());
        if (unified != null) {
            mounts.add(unified);
        }
        return mounts;
    }
}
