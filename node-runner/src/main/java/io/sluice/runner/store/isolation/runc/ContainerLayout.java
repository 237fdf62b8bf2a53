package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.WorkerDirectories;
import io.sluice.runner.domain.DirsView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What a container sees where: the host's system dirs read-only, the worker's dirs at fixed paths under /sluice. */
public final class ContainerLayout {

    public static final String DATA = "/sluice/data";
    static final String TMP = "/sluice/tmp";
    static final String LOGS = "/sluice/logs";
    static final String STORE = "/sluice/store";
    static final String RESOURCES = "/sluice/resources";
    static final String TINI = "/sluice/tini";
    static final List<String> SYSTEM_DIRS = List.of("/bin", "/etc", "/lib", "/lib64", "/sbin", "/usr");
    /** The host's system dirs that exist, looked up once rather than on every launch. */
    private static final List<Bind> SYSTEM_BINDS = SYSTEM_DIRS.stream().filter(dir -> Files.isDirectory(Path.of(dir)))
            .map(dir -> new Bind(dir, Path.of(dir), false)).toList();

    /** A bind mount of a host path into the container. */
    record Bind(String destination, Path source, boolean writable) {
    }

    private final List<Bind> binds;
    private final DirsView view;

    private ContainerLayout(List<Bind> binds, DirsView view) {
        this.binds = List.copyOf(binds);
        this.view = view;
    }

    static ContainerLayout of(ProcessSpec spec, Path tini) {
        List<Bind> binds = new ArrayList<>(SYSTEM_BINDS);
        binds.add(new Bind(TINI, tini, false));
        WorkerDirectories dirs = spec.dirs();
        binds.add(new Bind(DATA, dirs.data(), true));
        binds.add(new Bind(TMP, dirs.tmp(), true));
        binds.add(new Bind("/tmp", dirs.tmp(), true));
        binds.add(new Bind("/var/tmp", dirs.tmp(), true));
        binds.add(new Bind(LOGS, dirs.jobLogs(spec.jobId()), true));
        if (dirs.store() != null) {
            binds.add(new Bind(STORE, dirs.store(), true));
        }
        if (dirs.resources() != null) {
            binds.add(new Bind(RESOURCES, dirs.resources(), false));
        }
        DirsView view = new DirsView(DATA, TMP, LOGS, dirs.store() != null ? STORE : null,
                dirs.resources() != null ? RESOURCES : null);
        return new ContainerLayout(binds, view);
    }

    List<Bind> binds() {
        return binds;
    }

    DirsView view() {
        return view;
    }

    /** The host path behind an absolute container path, empty when no bind covers it. */
    Optional<Path> toHost(String containerPath) {
        String path = Path.of(containerPath).normalize().toString();
        return binds.stream()
                .filter(b -> path.equals(b.destination()) || path.startsWith(b.destination() + "/"))
                .max(Comparator.comparingInt(b -> b.destination().length()))
                .map(b -> path.equals(b.destination())
                        ? b.source()
                        : b.source().resolve(path.substring(b.destination().length() + 1)));
    }
}
