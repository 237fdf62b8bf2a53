package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.store.isolation.process.ProcessStateJsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a bundle's config.json (OCI runtime spec 1.0) for one process, as the node runtime contract in
 * node-runner/README.md says. The same config serves cgroup v1 and v2 hosts: on v2 runc maps the spec's resources
 * itself (memory.max; memory.swap.max = swap - limit, so swap == limit is no swap; pids.max; cpu.weight from the
 * shares) and mounts the container's own cgroup2 at /sys/fs/cgroup for the mount of type "cgroup".
 */
final class OciConfig {

    /** As runc's default spec: hide kernel internals, keep kernel tunables read-only. */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    /** Always new; the network namespace is the worker's own (joined by path), or none: the host's network. */
    static final List<String> NAMESPACES = List.of("pid", "ipc", "uts", "mount");
    private static final List<String> CAPABILITY_SETS = List.of("bounding", "effective", "inheritable", "permitted",
            "ambient");

    /**
     * Everything the config needs beyond the layout; {@code networkNamespace} is the path of the worker's network
     * namespace (null: the host's network), {@code hiddenPaths} host paths masked in the container.
     */
    record Inputs(List<String> argv, Map<String, String> env, String cwd, int uid, int gid, String hostname,
                  ProcessLimits limits, String cgroupPath, String rootfs, boolean swapAccounting,
                  String networkNamespace, List<String> hiddenPaths) {
    }

    private OciConfig() {
    }

    /** The config.json text. */
    static String build(ContainerLayout layout, Inputs in) {
        ProcessStateJsonWriter json = new ProcessStateJsonWriter().beginObject();
        json.name("ociVersion").value("1.0.2");
        process(json.name("process"), in);
        json.name("root").beginObject().name("path").value(in.rootfs()).name("readonly").value(true).endObject();
        json.name("hostname").value(in.hostname());
        mounts(json.name("mounts"), layout);
        linux(json.name("linux"), in);
        return json.endObject().toString();
    }

    private static void process(ProcessStateJsonWriter json, Inputs in) {
        json.beginObject();
        json.name("terminal").value(false);
        json.name("user").beginObject().name("uid").value(in.uid()).name("gid").value(in.gid())
                .name("additionalGids").beginArray().endArray().endObject();
        // tini -g: signals go to the child's whole process group; as PID 1 it also reaps orphans.
        json.name("args").beginArray().value(ContainerLayout.TINI).value("-g").value("--");
        in.argv().forEach(json::value);
        json.endArray();
        json.name("env").beginArray();
        in.env().forEach((k, v) -> json.value(k + "=" + v));
        json.endArray();
        json.name("cwd").value(in.cwd());
        json.name("capabilities").beginObject();
        CAPABILITY_SETS.forEach(set -> json.name(set).beginArray().endArray());
        json.endObject();
        json.name("noNewPrivileges").value(true);
        json.name("rlimits").beginArray();
        if (in.limits().openFiles() != null) {
            json.beginObject().name("type").value("RLIMIT_NOFILE").name("hard").value(in.limits().openFiles())
                    .name("soft").value(in.limits().openFiles()).endObject();
        }
        json.endArray();
        json.endObject();
    }

    private static void mounts(ProcessStateJsonWriter json, ContainerLayout layout) {
        json.beginArray();
        mount(json, "/proc", "proc", "proc");
        mount(json, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(json, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620");
        mount(json, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(json, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(json, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(json, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        for (ContainerLayout.Bind bind : layout.binds()) {
            // Plain "bind", not "rbind": a recursive bind would keep sub-mounts writable under a read-only dir.
            mount(json, bind.destination(), "bind", bind.source().toString(),
                    "bind", bind.writable() ? "rw" : "ro", "nosuid", "nodev");
        }
        json.endArray();
    }

    private static void mount(ProcessStateJsonWriter json, String destination, String type, String source,
                              String... options) {
        json.beginObject().name("destination").value(destination).name("type").value(type)
                .name("source").value(source).name("options").values(List.of(options)).endObject();
    }

    private static void linux(ProcessStateJsonWriter json, Inputs in) {
        json.beginObject();
        json.name("namespaces").beginArray();
        NAMESPACES.forEach(ns -> json.beginObject().name("type").value(ns).endObject());
        if (in.networkNamespace() != null) {
            json.beginObject().name("type").value("network").name("path").value(in.networkNamespace()).endObject();
        }
        json.endArray();
        json.name("cgroupsPath").value(in.cgroupPath());
        json.name("resources").beginObject();
        json.name("devices").beginArray().beginObject().name("allow").value(false).name("access").value("rwm")
                .endObject().endArray();
        ProcessLimits limits = in.limits();
        if (limits.memoryBytes() != null) {
            json.name("memory").beginObject().name("limit").value(limits.memoryBytes());
            if (in.swapAccounting()) {
                // swap == limit: memory+swap may not exceed the limit, so the limit holds on hosts with swap too.
                json.name("swap").value(limits.memoryBytes());
            }
            json.endObject();
        }
        if (limits.pids() != null) {
            json.name("pids").beginObject().name("limit").value(limits.pids()).endObject();
        }
        if (limits.cpuShares() != null) {
            json.name("cpu").beginObject().name("shares").value(limits.cpuShares()).endObject();
        }
        json.endObject();
        // runc covers a masked directory with an empty read-only tmpfs and a masked file with /dev/null, and skips
        // a path the container does not have.
        List<String> masked = new ArrayList<>(MASKED_PATHS);
        masked.addAll(in.hiddenPaths());
        json.name("maskedPaths").values(masked);
        json.name("readonlyPaths").values(READONLY_PATHS);
        json.endObject();
    }
}
