package io.sluice.runner.store;

import io.sluice.runner.store.isolation.process.JobLogDirectory;
import io.sluice.runner.store.resources.ResourceFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The node's workers on its own disk: one directory per worker with its job, its workspace (data, tmp, resources, store), and
 * per process the command that launched it, a stop asked for, whether its exit was reported and what of its output
 * was shipped. Logs live apart, per job, and outlive the worker; a destroyed worker leaves a tombstone.
 */
public final class WorkerRecords {

    private static final String WORKER_FILE = "worker.properties";
    private static final String DESTROY_FILE = "destroy.properties";
    private static final String RESOURCE_ENVIRONMENT_FILE = "resource-environment.properties";

    private final Path workers;
    private final Path destroyed;
    private final Path logs;
    private final Path stores;

    public WorkerRecords(Path stateDir) throws IOException {
        this.workers = Files.createDirectories(stateDir.resolve("workers"));
        this.destroyed = Files.createDirectories(stateDir.resolve("destroyed-workers"));
        this.logs = Files.createDirectories(stateDir.resolve("logs"));
        this.stores = Files.createDirectories(stateDir.resolve("stores"));
    }

    /** A stop that was asked for; a null signal or grace means the one the process was launched with. */
    public record StopRequest(String signal, Long graceMillis) {
    }

    /**
     * A worker of this node: which job it serves and where its directories are. Its persistent store, when the
     * job asked for one, lives outside the worker ({@code stores/<owner>/<name>}), so it outlives the worker and
     * the next job of the same owner that names it finds what the last one left. Its processes join its network
     * namespace, or share the host's network where it has none.
     */
    public record Worker(String workerId, String jobId, Path root, Path store, Path networkNamespace) {

        /** The same worker in the network namespace {@code namespace} (null: the host's network). */
        public Worker inNetwork(Path namespace) {
            return new Worker(workerId, jobId, root, store, namespace);
        }

        public Path data() {
            return root.resolve("data");
        }

        public Path tmp() {
            return root.resolve("tmp");
        }

        /** The files of the job's granted resources, read-only to the job; absent when it was granted none. */
        public Path resources() {
            return root.resolve("resources");
        }

    }

    /** The root of the per-job log directories. */
    public Path logs() {
        return logs;
    }

    public Optional<Worker> find(String workerId) {
        Path root = workers.resolve(workerId);
        Path file = root.resolve(WORKER_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = read(file);
        String store = properties.getProperty("store");
        String network = properties.getProperty("networkNamespace");
        return Optional.of(new Worker(workerId, properties.getProperty("jobId"), root,
                store == null ? null : Path.of(store), network == null ? null : Path.of(network)));
    }

    public List<Worker> all() throws IOException {
        List<Worker> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(workers)) {
            for (Path dir : dirs.sorted().toList()) {
                find(dir.getFileName().toString()).ifPresent(all::add);
            }
        }
        return all;
    }

    /**
     * Lays out a new worker's directories, and its owner's persistent store {@code persistentStore} when not null
     * (names already checked); the worker is not found until {@link #save} writes its record.
     */
    public Worker layOut(String workerId, String jobId, String owner, String persistentStore) throws IOException {
        Path store = persistentStore == null ? null : stores.resolve(owner).resolve(persistentStore);
        Worker worker = new Worker(workerId, jobId, workers.resolve(workerId), store, null);
        Files.createDirectories(worker.data());
        Files.createDirectories(worker.tmp());
        if (store != null) {
            Files.createDirectories(store);
        }
        Files.createDirectories(worker.root().resolve("processes"));
        return worker;
    }

    /** Writes the worker's record, last, so a worker half prepared when the runner crashed is prepared again. */
    public void save(Worker worker) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("jobId", worker.jobId());
        if (worker.store() != null) {
            properties.setProperty("store", worker.store().toString());
        }
        if (worker.networkNamespace() != null) {
            properties.setProperty("networkNamespace", worker.networkNamespace().toString());
        }
        write(worker.root().resolve(WORKER_FILE), properties);
        Files.deleteIfExists(destroyed.resolve(worker.workerId()));
    }

    /** Remembers the variables every process of the worker gets from its resources' metadata (never a secret). */
    public void saveResourceEnvironment(Worker worker, Map<String, String> environment) throws IOException {
        Properties properties = new Properties();
        properties.putAll(environment);
        write(worker.root().resolve(RESOURCE_ENVIRONMENT_FILE), properties);
    }

    /** The variables every process of the worker gets from its resources' metadata; empty when it has none. */
    public Map<String, String> resourceEnvironmentOf(Worker worker) {
        Path file = worker.root().resolve(RESOURCE_ENVIRONMENT_FILE);
        Map<String, String> environment = new TreeMap<>();
        if (Files.exists(file)) {
            read(file).forEach((name, value) -> environment.put((String) name, (String) value));
        }
        return environment;
    }

    /** Remembers which command launched a process, so its exit is reported under that cause after a restart. */
    public void recordLaunch(Worker worker, String process, String commandId) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("commandId", commandId);
        write(worker.root().resolve("processes").resolve(process + ".properties"), properties);
    }

    /** Remembers that a process's exit was reported, so a restarted runner does not report it lost. */
    public void recordExitReported(Worker worker, String process) throws IOException {
        Files.writeString(worker.root().resolve("processes").resolve(process + ".exited"), "");
    }

    public boolean exitReported(Worker worker, String process) {
        return Files.exists(worker.root().resolve("processes").resolve(process + ".exited"));
    }

    /** Remembers the first stop asked for, so a restarted runner stops the process the same way and says so. */
    public void recordStopRequested(Worker worker, String process, StopRequest request) throws IOException {
        Properties properties = new Properties();
        if (request.signal() != null) {
            properties.setProperty("signal", request.signal());
        }
        if (request.graceMillis() != null) {
            properties.setProperty("graceMillis", request.graceMillis().toString());
        }
        write(worker.root().resolve("processes").resolve(process + ".stop"), properties);
    }

    public Optional<StopRequest> stopRequestOf(Worker worker, String process) {
        Path file = worker.root().resolve("processes").resolve(process + ".stop");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = read(file);
        String grace = properties.getProperty("graceMillis");
        return Optional.of(new StopRequest(properties.getProperty("signal"),
                grace == null ? null : Long.valueOf(grace)));
    }

    /** Where the journal of a process's shipped output lives (its files add a suffix to this path). */
    public Path shippingJournalOf(Worker worker, String process) {
        return worker.root().resolve("processes").resolve(process);
    }

    public Optional<String> launchCommandOf(Worker worker, String process) {
        Path file = worker.root().resolve("processes").resolve(process + ".properties");
        return Files.exists(file) ? Optional.of(read(file).getProperty("commandId")) : Optional.empty();
    }

    public List<String> processesOf(Worker worker) throws IOException {
        Path processes = worker.root().resolve("processes");
        if (!Files.isDirectory(processes)) {
            return List.of(); // its workspace was removed by a destroy that a crash interrupted
        }
        try (Stream<Path> files = Files.list(processes)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".properties"))
                    .map(name -> name.substring(0, name.length() - ".properties".length()))
                    .sorted().toList();
        }
    }

    /** Remembers that the worker is being destroyed, so that a restarted runner finishes the job. */
    public void recordDestroyRequested(Worker worker, String commandId) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("commandId", commandId);
        write(worker.root().resolve(DESTROY_FILE), properties);
    }

    /** The command that asked to destroy the worker, while it is being destroyed. */
    public Optional<String> destroyCommandOf(Worker worker) {
        Path file = worker.root().resolve(DESTROY_FILE);
        return Files.exists(file) ? Optional.of(read(file).getProperty("commandId")) : Optional.empty();
    }

    /**
     * Removes a destroyed worker's workspace and process records; its own record stays until {@link #destroyed},
     * and its persistent store stays for the owner's next job.
     */
    public void removeWorkspace(Worker worker) throws IOException {
        ResourceFiles.remove(worker.resources());
        for (Path dir : List.of(worker.data(), worker.tmp(), worker.root().resolve("processes"))) {
            deleteTree(dir);
        }
    }

    /**
     * Cleans up the job's log directory when this is the job's last worker on the node: keeps its processes' stdout
     * and stderr files, drops whatever else the job wrote there (and its quota's mount). Before
     * {@link #removeWorkspace}, which takes the list of processes with it.
     */
    public void releaseJobLogs(Worker worker) throws IOException {
        if (!Files.isDirectory(worker.root().resolve("processes"))) {
            return; // released by a destroy that a crash interrupted after it
        }
        for (Worker other : all()) {
            if (other.jobId().equals(worker.jobId()) && !other.workerId().equals(worker.workerId())) {
                return; // the job's last worker releases it
            }
        }
        JobLogDirectory.release(logs.resolve(worker.jobId()), processesOf(worker));
    }

    /** The worker is gone: its record leaves, and a tombstone says it was destroyed. */
    public void destroyed(Worker worker) throws IOException {
        Files.writeString(destroyed.resolve(worker.workerId()), worker.jobId());
        ResourceFiles.remove(worker.resources());
        deleteTree(worker.root());
    }

    /** Deletes the tombstones of workers destroyed before {@code before}; returns how many. */
    public int pruneTombstones(Instant before) throws IOException {
        int pruned = 0;
        try (Stream<Path> tombstones = Files.list(destroyed)) {
            for (Path tombstone : tombstones.toList()) {
                if (Files.getLastModifiedTime(tombstone).toInstant().isBefore(before)
                        && Files.deleteIfExists(tombstone)) {
                    pruned++;
                }
            }
        }
        return pruned;
    }

    /**
     * Deletes the log directories of jobs that have no worker on this node and whose logs nobody wrote since
     * {@code before}; returns how many. The lines also went to the log topic, which keeps them for days of its own.
     */
    public int pruneJobLogs(Instant before) throws IOException {
        Set<String> jobsHere = new HashSet<>();
        all().forEach(worker -> jobsHere.add(worker.jobId()));
        int pruned = 0;
        try (Stream<Path> jobs = Files.list(logs)) {
            for (Path job : jobs.toList()) {
                if (!jobsHere.contains(job.getFileName().toString()) && lastWritten(job).isBefore(before)) {
                    deleteTree(job);
                    pruned++;
                }
            }
        }
        return pruned;
    }

    /** When anything in {@code dir} (or the directory itself) was last written. */
    private static Instant lastWritten(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            Instant last = Instant.EPOCH;
            for (Path path : tree.toList()) {
                Instant written = Files.getLastModifiedTime(path).toInstant();
                last = written.isAfter(last) ? written : last;
            }
            return last;
        }
    }

    /** Whether this node destroyed the worker (and has not prepared one of that id since). */
    public boolean wasDestroyed(String workerId) {
        return Files.exists(destroyed.resolve(workerId));
    }

    /** Removes a worker that never became one (its preparation failed); its logs stay. */
    public void delete(Worker worker) throws IOException {
        Files.deleteIfExists(worker.root().resolve(WORKER_FILE));
        ResourceFiles.remove(worker.resources());
        deleteTree(worker.root());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void write(Path file, Properties properties) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary)) {
            properties.store(out, null);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return properties;
    }
}
