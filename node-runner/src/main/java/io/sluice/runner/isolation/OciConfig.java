package io.sluice.runner.isolation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Builds a bundle's config.json (OCI runtime spec 1.0) for one process, as DESIGN.md's runtime contract says. */
final class OciConfig {

    /** As runc's default spec: hide kernel internals, keep kernel tunables read-only. */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    /** No network namespace: jobs share the host's network, as with bpm. */
    static final List<String> NAMESPACES = List.of("pid", "ipc", "uts", "mount");
    private static final List<String> CAPABILITY_SETS = List.of("bounding", "effective", "inheritable", "permitted",
            "ambient");

    /** Everything the config needs beyond the layout. */
    record Inputs(List<String> argv, Map<String, String> env, String cwd, int uid, int gid, String hostname,
                  ProcessLimits limits, String cgroupPath, String rootfs, boolean swapAccounting) {
    }

    private OciConfig() {
    }

    static ObjectNode build(ContainerLayout layout, Inputs in) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("ociVersion", "1.0.2");
        config.set("process", process(in));
        ObjectNode root = config.putObject("root");
        root.put("path", in.rootfs());
        root.put("readonly", true);
        config.put("hostname", in.hostname());
        config.set("mounts", mounts(layout));
        config.set("linux", linux(in));
        return config;
    }

    private static ObjectNode process(Inputs in) {
        ObjectNode process = Json.MAPPER.createObjectNode();
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", in.uid());
        user.put("gid", in.gid());
        user.putArray("additionalGids");
        ArrayNode args = process.putArray("args");
        // tini -g: signals go to the child's whole process group; as PID 1 it also reaps orphans.
        args.add(ContainerLayout.TINI).add("-g").add("--");
        in.argv().forEach(args::add);
        ArrayNode env = process.putArray("env");
        in.env().forEach((k, v) -> env.add(k + "=" + v));
        process.put("cwd", in.cwd());
        ObjectNode capabilities = process.putObject("capabilities");
        CAPABILITY_SETS.forEach(capabilities::putArray);
        process.put("noNewPrivileges", true);
        ArrayNode rlimits = process.putArray("rlimits");
        if (in.limits().openFiles() != null) {
            rlimits.addObject().put("type", "RLIMIT_NOFILE")
                    .put("hard", in.limits().openFiles()).put("soft", in.limits().openFiles());
        }
        return process;
    }

    private static ArrayNode mounts(ContainerLayout layout) {
        ArrayNode mounts = Json.MAPPER.createArrayNode();
        mount(mounts, "/proc", "proc", "proc");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        for (ContainerLayout.Bind bind : layout.binds()) {
            // Plain "bind", not "rbind": a recursive bind would keep sub-mounts writable under a read-only dir.
            mount(mounts, bind.destination(), "bind", bind.source().toString(),
                    "bind", bind.writable() ? "rw" : "ro", "nosuid", "nodev");
        }
        return mounts;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
        ObjectNode mount = mounts.addObject();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        ArrayNode list = mount.putArray("options");
        for (String option : options) {
            list.add(option);
        }
    }

    private static ObjectNode linux(Inputs in) {
        ObjectNode linux = Json.MAPPER.createObjectNode();
        ArrayNode namespaces = linux.putArray("namespaces");
        NAMESPACES.forEach(ns -> namespaces.addObject().put("type", ns));
        linux.put("cgroupsPath", in.cgroupPath());
        ObjectNode resources = linux.putObject("resources");
        resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
        ProcessLimits limits = in.limits();
        if (limits.memoryBytes() != null) {
            ObjectNode memory = resources.putObject("memory").put("limit", limits.memoryBytes());
            if (in.swapAccounting()) {
                // swap == limit: memory+swap may not exceed the limit, so the limit holds on hosts with swap too.
                memory.put("swap", limits.memoryBytes());
            }
        }
        if (limits.pids() != null) {
            resources.putObject("pids").put("limit", limits.pids());
        }
        if (limits.cpuShares() != null) {
            resources.putObject("cpu").put("shares", limits.cpuShares());
        }
        ArrayNode masked = linux.putArray("maskedPaths");
        MASKED_PATHS.forEach(masked::add);
        ArrayNode readonly = linux.putArray("readonlyPaths");
        READONLY_PATHS.forEach(readonly::add);
        return linux;
    }
}
