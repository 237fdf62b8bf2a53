package io.sluice.schemas.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestSignatureTest {

    private final OwnerKey alice = OwnerKey.generate();
    private final OwnerKey mallory = OwnerKey.generate();
    private final byte[] request = "a request as sent".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_signature_verifies_with_its_key_and_names_it() {
        String header = RequestSignature.sign(request, alice);

        assertThat(RequestSignature.verifies(header, request, alice.publicKey())).isTrue();
        assertThat(RequestSignature.parse(header).keyId()).contains(alice.keyId());
        // Detached: the request itself is not repeated in the header.
        assertThat(header).contains("..");
    }

    @Test
    void a_signature_does_not_verify_other_bytes_or_with_another_key() {
        String header = RequestSignature.sign(request, alice);
        byte[] altered = request.clone();
        altered[0] ^= 1;

        assertThat(RequestSignature.verifies(header, altered, alice.publicKey())).isFalse();
        assertThat(RequestSignature.verifies(header, request, mallory.publicKey())).isFalse();
        assertThat(RequestSignature.verifies("not a jws", request, alice.publicKey())).isFalse();
    }

    @Test
    void an_unsigned_or_unsigned_algorithm_header_is_named_as_such() {
        String none = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + "..";
        String hmac = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"HS256\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + "..c2ln";

        assertThat(RequestSignature.parse(none).problem()).isNotNull();
        assertThat(RequestSignature.parse(hmac).problem()).contains("HS256");
        assertThat(RequestSignature.parse("x".repeat(2000)).problem()).contains("longer than");
        assertThat(RequestSignature.verifies(none, request, alice.publicKey())).isFalse();
    }

    @Test
    void a_key_written_to_a_file_reads_back_with_the_same_id_and_only_its_owner_can_read_it(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("alice.pem");
        alice.writeTo(file);

        OwnerKey read = OwnerKey.read(file);

        assertThat(read.keyId()).isEqualTo(alice.keyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(RequestSignature.verifies(RequestSignature.sign(request, read), request, alice.publicKey()))
                .isTrue();
        assertThat(read.toString()).doesNotContain(Base64.getEncoder().encodeToString(alice.privateKey().getEncoded()));
    }

    @Test
    void a_registered_public_key_line_parses_to_the_same_key_id() {
        assertThat(OwnerKey.keyIdOf(OwnerKey.parsePublicKey(alice.publicKeyText()))).isEqualTo(alice.keyId());
        assertThatThrownBy(() -> OwnerKey.parsePublicKey("bm90IGEga2V5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an EC P-256 public key");
    }

    @Test
    void a_file_that_is_not_a_key_is_refused_naming_the_file(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("junk.pem"), "hello");

        assertThatThrownBy(() -> OwnerKey.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("BEGIN PRIVATE KEY");
    }
}
