package io.sluice.runner.store.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.events.GrantedResource;
import io.sluice.events.SecretRef;
import io.sluice.runner.store.isolation.process.JobUser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A worker's resources as files on its host, as the node runtime contract in node-runner/README.md shows them to
 * its processes: per resource {@code <type>.json} (its id, type, metadata and the names of its secrets) and each
 * secret's clear value in {@code <type>/<name>}, everything owned by the job's user and readable by it alone.
 */
public final class ResourceFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> BEING_WRITTEN_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> BEING_WRITTEN_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READ_ONLY_DIR = PosixFilePermissions.fromString("r-x------");
    private static final Set<PosixFilePermission> READ_ONLY_FILE = PosixFilePermissions.fromString("r--------");

    private final ResourceSecrets secrets;
    private final JobUser user;

    public ResourceFiles(ResourceSecrets secrets, JobUser user) {
        this.secrets = secrets;
        this.user = user;
    }

    /**
     * Writes the resources' files into {@code dir}, replacing whatever a preparation interrupted earlier left there;
     * with no resources there is no directory. Every secret is opened before anything is written, so a secret that
     * does not open leaves no file.
     *
     * @throws ResourceSecretException when a secret does not open; nothing is written then
     */
    public void write(Path dir, List<GrantedResource> resources) throws ResourceSecretException, IOException {
        remove(dir);
        if (resources.isEmpty()) {
            return;
        }
        List<Map<String, byte[]>> clear = new ArrayList<>();
        try {
            for (GrantedResource resource : resources) {
                clear.add(secrets.open(resource));
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(BEING_WRITTEN_DIR));
            List<Path> files = new ArrayList<>();
            List<Path> dirs = new ArrayList<>();
            for (int i = 0; i < resources.size(); i++) {
                GrantedResource resource = resources.get(i);
                files.add(writeNew(dir.resolve(resource.getType() + ".json"), document(resource)));
                Path secretDir = Files.createDirectory(dir.resolve(resource.getType()),
                        PosixFilePermissions.asFileAttribute(BEING_WRITTEN_DIR));
                for (Map.Entry<String, byte[]> secret : clear.get(i).entrySet()) {
                    files.add(writeNew(secretDir.resolve(secret.getKey()), secret.getValue()));
                }
                dirs.add(secretDir);
            }
            dirs.add(dir);
            for (Path file : files) {
                hand(file, READ_ONLY_FILE);
            }
            for (Path directory : dirs) {
                hand(directory, READ_ONLY_DIR);
            }
        } finally {
            clear.forEach(values -> values.values().forEach(value -> Arrays.fill(value, (byte) 0)));
        }
    }

    /** Removes the resources' files, also where only their owner may write (a runner without root owns them). */
    public static void remove(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.toList()) {
                if (Files.isDirectory(path)) {
                    Files.setPosixFilePermissions(path, BEING_WRITTEN_DIR);
                }
            }
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static byte[] document(GrantedResource resource) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("resourceId", resource.getResourceId());
        document.put("type", resource.getType());
        document.put("metadata", new TreeMap<>(resource.getMetadata()));
        document.put("secrets", resource.getSecrets().stream().map(SecretRef::getName).toList());
        return JSON.writeValueAsBytes(document);
    }

    /** A new file no one else can read, even while it is being written. */
    private static Path writeNew(Path file, byte[] content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(BEING_WRITTEN_FILE));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            out.write(content);
        }
        return file;
    }

    private void hand(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (user.isAnother()) {
            Files.setAttribute(path, "unix:uid", user.uid());
            Files.setAttribute(path, "unix:gid", user.gid());
        }
        Files.setPosixFilePermissions(path, permissions);
    }
}
