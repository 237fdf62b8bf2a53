package io.sluice.bus.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.events.SealedSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sealed secret opens only with a key of the ring, for the resource and name it was sealed for, unaltered. */
class SecretSealerTest {

    private static final String RESOURCE = "res-0001";
    private static final String NAME = "password";
    private static final String VALUE = "correct horse battery staple";

    private final String k1 = SecretKeyRing.generateKey();
    private final String k2 = SecretKeyRing.generateKey();

    @Test
    void a_sealed_value_opens_to_the_same_value() throws Exception {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));

        SealedSecret sealed = sealer.seal(RESOURCE, NAME, VALUE);

        assertThat(sealed.getKeyId()).isEqualTo("k1");
        assertThat(sealed.getAlgorithm()).isEqualTo("AES-256-GCM");
        assertThat(sealed.getCiphertext().remaining()).isEqualTo(12 + VALUE.length() + 16);
        assertThat(sealer.open(RESOURCE, NAME, sealed)).isEqualTo(VALUE);
    }

    @Test
    void a_sealed_value_survives_the_avro_encoding_of_the_topics() throws Exception {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));

        SealedSecret decoded = SealedSecret.fromByteBuffer(sealer.seal(RESOURCE, NAME, VALUE).toByteBuffer());

        assertThat(sealer.open(RESOURCE, NAME, decoded)).isEqualTo(VALUE);
        assertThat(sealer.open(RESOURCE, NAME, decoded)).as("opening leaves the record as it was").isEqualTo(VALUE);
    }

    @Test
    void two_seals_of_one_value_differ() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));

        assertThat(bytes(sealer.seal(RESOURCE, NAME, VALUE))).isNotEqualTo(bytes(sealer.seal(RESOURCE, NAME, VALUE)));
    }

    @Test
    void a_value_sealed_for_another_secret_name_does_not_open() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));
        SealedSecret sealed = sealer.seal(RESOURCE, NAME, VALUE);

        assertThatThrownBy(() -> sealer.open(RESOURCE, "token", sealed))
                .isInstanceOf(SecretOpenFailedException.class)
                .hasMessageContaining("\"token\"").hasMessageContaining("altered, or sealed for another resource")
                .hasMessageNotContaining(VALUE);
    }

    @Test
    void a_value_sealed_for_another_resource_does_not_open() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));
        SealedSecret sealed = sealer.seal(RESOURCE, NAME, VALUE);

        assertThatThrownBy(() -> sealer.open("res-0002", NAME, sealed))
                .isInstanceOf(SecretOpenFailedException.class)
                .hasMessageContaining("res-0002").hasMessageContaining("altered, or sealed for another resource")
                .hasMessageNotContaining(VALUE);
    }

    @Test
    void a_value_whose_resource_and_name_shift_bytes_between_them_does_not_open() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));
        SealedSecret sealed = sealer.seal("res-1", "2password", VALUE);

        assertThatThrownBy(() -> sealer.open("res-12", "password", sealed))
                .isInstanceOf(SecretOpenFailedException.class);
    }

    @Test
    void a_tampered_ciphertext_does_not_open() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));
        SealedSecret sealed = sealer.seal(RESOURCE, NAME, VALUE);
        for (int position : new int[] {0, 12, bytes(sealed).length - 1}) {
            byte[] tampered = bytes(sealed);
            tampered[position] ^= 0x01;
            SealedSecret altered = new SealedSecret("k1", SecretSealer.ALGORITHM, ByteBuffer.wrap(tampered));

            assertThatThrownBy(() -> sealer.open(RESOURCE, NAME, altered))
                    .as("a bit flipped at byte %d", position)
                    .isInstanceOf(SecretOpenFailedException.class)
                    .hasMessageContaining("it was altered").hasMessageNotContaining(VALUE);
        }
    }

    @Test
    void a_truncated_ciphertext_does_not_open() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));
        SealedSecret truncated = new SealedSecret("k1", SecretSealer.ALGORITHM, ByteBuffer.wrap(new byte[20]));

        assertThatThrownBy(() -> sealer.open(RESOURCE, NAME, truncated))
                .isInstanceOf(SecretOpenFailedException.class).hasMessageContaining("too short");
    }

    @Test
    void a_value_sealed_with_another_algorithm_does_not_open_and_the_error_names_it() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));
        SealedSecret sealed = sealer.seal(RESOURCE, NAME, VALUE);
        sealed.setAlgorithm("X25519-HKDF-SHA256-AES-256-GCM");

        assertThatThrownBy(() -> sealer.open(RESOURCE, NAME, sealed))
                .isInstanceOf(SecretOpenFailedException.class)
                .hasMessageContaining("\"X25519-HKDF-SHA256-AES-256-GCM\"");
    }

    @Test
    void a_value_sealed_with_an_old_key_opens_while_the_ring_still_holds_it() throws Exception {
        SealedSecret sealedWithK1 = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"))
                .seal(RESOURCE, NAME, VALUE);

        SecretSealer rotated = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1, "k2", k2), "k2"));
        SealedSecret sealedWithK2 = rotated.seal(RESOURCE, NAME, VALUE);

        assertThat(sealedWithK2.getKeyId()).isEqualTo("k2");
        assertThat(rotated.open(RESOURCE, NAME, sealedWithK1)).isEqualTo(VALUE);
        assertThat(rotated.open(RESOURCE, NAME, sealedWithK2)).isEqualTo(VALUE);
    }

    @Test
    void a_value_sealed_with_a_key_the_ring_dropped_fails_naming_the_key_id() {
        SealedSecret sealedWithK1 = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"))
                .seal(RESOURCE, NAME, VALUE);

        SecretSealer withoutK1 = new SecretSealer(SecretKeyRing.of(Map.of("k2", k2), "k2"));

        assertThatThrownBy(() -> withoutK1.open(RESOURCE, NAME, sealedWithK1))
                .isInstanceOf(SecretOpenFailedException.class)
                .hasMessageContaining("unknown key id \"k1\"").hasMessageContaining("[k2]")
                .hasMessageNotContaining(VALUE).hasMessageNotContaining(k1).hasMessageNotContaining(k2);
    }

    @Test
    void a_key_under_a_reused_id_does_not_open_what_the_old_key_sealed() {
        SealedSecret sealed = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1")).seal(RESOURCE, NAME, VALUE);

        SecretSealer otherKeySameId = new SecretSealer(SecretKeyRing.of(Map.of("k1", k2), "k1"));

        assertThatThrownBy(() -> otherKeySameId.open(RESOURCE, NAME, sealed))
                .isInstanceOf(SecretOpenFailedException.class).hasMessageContaining("key \"k1\"");
    }

    @Test
    void a_sealed_value_never_contains_the_clear_text() {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", k1), "k1"));
        byte[] clear = VALUE.getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < 100; i++) {
            SealedSecret sealed = sealer.seal(RESOURCE, NAME, VALUE);
            byte[] ciphertext = bytes(sealed);
            byte[] record = toArray(sealed);

            assertThat(indexOf(ciphertext, clear)).isEqualTo(-1);
            assertThat(indexOf(record, clear)).as("the record as the topics carry it").isEqualTo(-1);
            assertThat(new String(record, StandardCharsets.ISO_8859_1)).doesNotContain("correct horse");
            assertThat(sealed.toString()).doesNotContain(VALUE);
        }
    }

    private static byte[] bytes(SealedSecret sealed) {
        ByteBuffer ciphertext = sealed.getCiphertext().duplicate();
        byte[] bytes = new byte[ciphertext.remaining()];
        ciphertext.get(bytes);
        return bytes;
    }

    private static byte[] toArray(SealedSecret sealed) {
        try {
            ByteBuffer encoded = sealed.toByteBuffer();
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            int j = 0;
            while (j < needle.length && haystack[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }
}
