package io.sluice.runner.store.inputs;

import io.sluice.events.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The node's content-addressed cache of job inputs, shared by its workers: an input is fetched only when the cache
 * lacks its SHA-256, verified before it enters the cache, and linked into a worker's data directory. Inputs no
 * worker holds are evicted once unused for a while.
 */
public final class InputCache {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path blobs;
    private final Path downloads;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final DigestLocks locks = new DigestLocks();

    public InputCache(Path root) throws IOException {
        this.blobs = Files.createDirectories(root.resolve("sha256"));
        this.downloads = Files.createDirectories(root.resolve("downloads"));
    }

    /** Puts {@code input} at its path under {@code dataDir}; true when it had to be fetched, false from the cache. */
    public boolean provide(InputFile input, Path dataDir) throws InputUnavailableException {
        String name = input.getPath();
        if (!SHA256.matcher(input.getSha256()).matches()) {
            throw new InputUnavailableException(name, "input " + name + ": sha256 '" + input.getSha256()
                    + "' is not 64 lower-case hex digits");
        }
        Path target = dataDir.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !target.startsWith(dataDir.normalize())) {
            throw new InputUnavailableException(name, "input " + name + ": path must be relative and stay inside "
                    + "the job's data directory");
        }
        // Under the input's lock until it is linked: eviction takes the same lock, so it cannot remove it between.
        return locks.underLockOf(input.getSha256(), () -> {
            boolean fetched = fetchIfMissing(input);
            link(input, target);
            return fetched;
        });
    }

    /**
     * Evicts the cached inputs that no worker holds (no link to them outside the cache) and that were neither cached,
     * taken nor given back since {@code before}, and the downloads a crash left; returns how many inputs it evicted.
     */
    public int evictUnused(Instant before) throws IOException {
        int evicted = 0;
        try (Stream<Path> cached = Files.list(blobs)) {
            for (Path blob : cached.toList()) {
                if (locks.underLockOf(blob.getFileName().toString(),
                        () -> unusedSince(blob, before) && Files.deleteIfExists(blob))) {
                    evicted++;
                }
            }
        }
        try (Stream<Path> partial = Files.list(downloads)) {
            for (Path download : partial.toList()) {
                if (Files.getLastModifiedTime(download).toInstant().isBefore(before)) {
                    Files.deleteIfExists(download);
                }
            }
        }
        return evicted;
    }

    /** Linking a blob into a workspace, or a workspace's removal, changes its link count and so its ctime. */
    private static boolean unusedSince(Path blob, Instant before) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(blob, "unix:nlink,ctime,lastModifiedTime");
        return (Integer) attributes.get("nlink") == 1
                && ((FileTime) attributes.get("ctime")).toInstant().isBefore(before)
                && ((FileTime) attributes.get("lastModifiedTime")).toInstant().isBefore(before);
    }

    private boolean fetchIfMissing(InputFile input) throws InputUnavailableException {
        Path blob = blobs.resolve(input.getSha256());
        if (Files.exists(blob)) {
            return false;
        }
        String name = input.getPath();
        try {
            Path download = Files.createTempFile(downloads, input.getSha256(), ".part");
            try {
                String actual = copyHashing(input, download);
                if (!actual.equals(input.getSha256())) {
                    throw new InputUnavailableException(name, "input " + name + " from " + input.getFetchUri()
                            + ": its SHA-256 is " + actual + ", the job expects " + input.getSha256());
                }
                moveIntoCache(download, blob);
            } finally {
                Files.deleteIfExists(download);
            }
        } catch (IOException e) {
            throw new InputUnavailableException(name, "input " + name + ": cannot fetch " + input.getFetchUri()
                    + ": " + e.getMessage(), e);
        }
        return true;
    }

    private String copyHashing(InputFile input, Path download) throws IOException, InputUnavailableException {
        MessageDigest sha256 = sha256();
        try (InputStream in = open(input);
             OutputStream out = new DigestOutputStream(Files.newOutputStream(download), sha256)) {
            long copied = in.transferTo(out);
            if (input.getSizeBytes() != null && copied != input.getSizeBytes()) {
                throw new InputUnavailableException(input.getPath(), "input " + input.getPath() + " from "
                        + input.getFetchUri() + ": " + copied + " bytes, the job expects " + input.getSizeBytes());
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private InputStream open(InputFile input) throws IOException, InputUnavailableException {
        URI uri = URI.create(input.getFetchUri());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "file" -> {
                return Files.newInputStream(Path.of(uri));
            }
            case "http", "https" -> {
                try {
                    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        response.body().close();
                        throw new IOException("HTTP " + response.statusCode());
                    }
                    return response.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            default -> throw new InputUnavailableException(input.getPath(), "input " + input.getPath()
                    + ": fetch URI " + uri + " is neither file:, http: nor https:");
        }
    }

    private static void moveIntoCache(Path download, Path blob) throws IOException {
        blob.getParent().toFile().mkdirs();
        try {
            Files.move(download, blob, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(download, blob, StandardCopyOption.REPLACE_EXISTING);
        }
        // Readable by the jobs' unprivileged user, writable by nobody: the download was private (0600) until now.
        Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("r--r--r--"));
    }

    /** A hard link shares the cached bytes; a job cannot change them because the blob is read-only. */
    private void link(InputFile input, Path target) throws InputUnavailableException {
        Path blob = blobs.resolve(input.getSha256());
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            try {
                Files.createLink(target, blob);
            } catch (UnsupportedOperationException | IOException crossDevice) {
                Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (input.getExecutable()) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
            }
        } catch (IOException e) {
            throw new InputUnavailableException(input.getPath(), "input " + input.getPath() + ": cannot place it "
                    + "at " + target + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
