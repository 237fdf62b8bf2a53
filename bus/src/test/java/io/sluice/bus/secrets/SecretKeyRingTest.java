package io.sluice.bus.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key ring takes its keys from configuration as base64 and says which key is wrong, never showing a key. */
class SecretKeyRingTest {

    @Test
    void a_generated_key_is_32_random_bytes_in_base64() {
        String key = SecretKeyRing.generateKey();

        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(SecretKeyRing.generateKey()).isNotEqualTo(key);
    }

    @Test
    void the_ring_seals_with_its_current_key_and_knows_every_key_id() {
        SecretKeyRing ring = SecretKeyRing.of(
                Map.of("k1", SecretKeyRing.generateKey(), "k2", SecretKeyRing.generateKey()), "k2");

        assertThat(ring.currentKeyId()).isEqualTo("k2");
        assertThat(ring.keyIds()).containsExactlyInAnyOrder("k1", "k2");
    }

    @Test
    void a_key_of_the_wrong_length_is_refused_naming_its_id_and_length() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> SecretKeyRing.of(Map.of("k1", shortKey), "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"k1\"").hasMessageContaining("16 bytes").hasMessageContaining("32")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void a_key_that_is_not_base64_is_refused_without_quoting_it() {
        String notBase64 = "not*base64*at*all*secret-material";

        assertThatThrownBy(() -> SecretKeyRing.of(Map.of("k1", notBase64), "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"k1\" is not valid base64").hasMessageNotContaining("*")
                .hasMessageNotContaining("secret-material");
    }

    @Test
    void a_current_key_id_missing_from_the_ring_is_refused_naming_it() {
        assertThatThrownBy(() -> SecretKeyRing.of(Map.of("k1", SecretKeyRing.generateKey()), "k2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"k2\" is not in the key ring").hasMessageContaining("[k1]");
    }

    @Test
    void an_empty_ring_is_refused() {
        assertThatThrownBy(() -> SecretKeyRing.of(Map.of(), "k1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key");
    }

    @Test
    void the_ring_shows_its_key_ids_and_hides_its_keys() {
        String key = SecretKeyRing.generateKey();

        assertThat(SecretKeyRing.of(Map.of("k1", key), "k1").toString()).contains("k1").doesNotContain(key);
    }
}
