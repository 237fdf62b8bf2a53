package io.sluice.runner.store.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.events.InputFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputCacheTest {

    @TempDir
    Path dir;

    private InputCache cache;
    private Path source;

    @BeforeEach
    void setUp() throws Exception {
        cache = new InputCache(dir.resolve("cache"));
        source = Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh\necho hello\n");
    }

    @Test
    void the_first_worker_fetches_an_input_and_the_next_one_takes_it_from_the_cache() throws Exception {
        InputFile tool = input(sha256(source), source.toUri().toString(), "bin/tool.sh", true);
        Path first = dir.resolve("worker-1");
        Path second = dir.resolve("worker-2");

        assertThat(cache.provide(tool, first)).as("fetched").isTrue();
        Files.delete(source);
        assertThat(cache.provide(tool, second)).as("fetched again").isFalse();

        assertThat(Files.readString(second.resolve("bin/tool.sh"))).isEqualTo("#!/bin/sh\necho hello\n");
        assertThat(Files.isExecutable(first.resolve("bin/tool.sh"))).isTrue();
        assertThat(Files.getPosixFilePermissions(first.resolve("bin/tool.sh"))).as("cached bytes are read-only")
                .doesNotContain(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE);
    }

    @Test
    void an_input_whose_digest_does_not_match_is_refused_and_not_cached() throws Exception {
        String wrong = "0".repeat(64);
        InputFile tool = input(wrong, source.toUri().toString(), "tool.sh", false);

        assertThatThrownBy(() -> cache.provide(tool, dir.resolve("worker")))
                .isInstanceOf(InputUnavailableException.class)
                .hasMessageContaining("tool.sh").hasMessageContaining(sha256(source)).hasMessageContaining(wrong);
        assertThat(dir.resolve("cache/sha256/" + wrong)).doesNotExist();
        assertThat(dir.resolve("worker/tool.sh")).doesNotExist();
    }

    @Test
    void a_missing_source_a_bad_digest_and_an_escaping_path_are_refused_with_the_reason() {
        assertThatThrownBy(() -> cache.provide(input("1".repeat(64), dir.resolve("nope").toUri().toString(),
                "data.bin", false), dir.resolve("w"))).hasMessageContaining("data.bin").hasMessageContaining("nope");
        assertThatThrownBy(() -> cache.provide(input("XYZ", source.toUri().toString(), "data.bin", false),
                dir.resolve("w"))).hasMessageContaining("not 64 lower-case hex digits");
        assertThatThrownBy(() -> cache.provide(input("1".repeat(64), source.toUri().toString(), "../escape", false),
                dir.resolve("w"))).hasMessageContaining("inside the job's data directory");
        assertThatThrownBy(() -> cache.provide(input("1".repeat(64), "ftp://example/x", "x", false),
                dir.resolve("w"))).hasMessageContaining("neither file:, http: nor https:");
    }

    @Test
    void inputs_no_worker_holds_are_evicted_once_unused_and_held_ones_stay() throws Exception {
        Path data = Files.writeString(dir.resolve("data.csv"), "a,b\n");
        InputFile tool = input(sha256(source), source.toUri().toString(), "tool.sh", true);
        InputFile table = input(sha256(data), data.toUri().toString(), "data.csv", false);
        cache.provide(tool, dir.resolve("worker-running"));
        cache.provide(table, dir.resolve("worker-gone"));
        Files.delete(dir.resolve("worker-gone/data.csv")); // its workspace was removed
        Path partial = Files.writeString(dir.resolve("cache/downloads/left-by-a-crash.part"), "half");

        assertThat(cache.evictUnused(Instant.now().minusSeconds(3600))).as("all used within the hour").isZero();
        assertThat(dir.resolve("cache/sha256/" + sha256(data))).exists();
        assertThat(partial).exists();

        assertThat(cache.evictUnused(Instant.now().plusSeconds(1))).isOne();
        assertThat(dir.resolve("cache/sha256/" + sha256(data))).doesNotExist();
        assertThat(dir.resolve("cache/sha256/" + sha256(source))).as("a worker still holds it").exists();
        assertThat(partial).doesNotExist();
        assertThat(Files.readString(dir.resolve("worker-running/tool.sh"))).isEqualTo("#!/bin/sh\necho hello\n");

        // An evicted input is fetched again when a job needs it.
        assertThat(cache.provide(table, dir.resolve("worker-next"))).as("fetched").isTrue();
    }

    private static InputFile input(String sha256, String uri, String path, boolean executable) {
        return InputFile.newBuilder().setSha256(sha256).setFetchUri(uri).setPath(path).setExecutable(executable)
                .setSizeBytes(null).build();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
