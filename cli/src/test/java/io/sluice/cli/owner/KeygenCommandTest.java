package io.sluice.cli.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.Sluice;
import io.sluice.schemas.signing.OwnerKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {

    @Test
    void it_writes_a_key_only_its_user_can_read_and_prints_the_registration_of_its_public_half(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("keys/alice.pem");
        StringWriter out = new StringWriter();

        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true))
                .execute("keygen", "--file", file.toString(), "--owner", "alice");

        assertThat(exit).isZero();
        OwnerKey key = OwnerKey.read(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        var registration = Pattern.compile("sluice\\.jobs\\.owners\\.alice\\.public-keys: \\[(\\S+)]")
                .matcher(out.toString());
        assertThat(registration.find()).as(out.toString()).isTrue();
        assertThat(OwnerKey.keyIdOf(OwnerKey.parsePublicKey(registration.group(1)))).isEqualTo(key.keyId());
        assertThat(out.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void it_never_overwrites_a_key(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken.pem"), "precious");
        StringWriter err = new StringWriter();

        int exit = Sluice.commandLine().setErr(new PrintWriter(err, true)).execute("keygen", "--file", file.toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains(file + " exists already");
        assertThat(Files.readString(file)).isEqualTo("precious");
    }
}
