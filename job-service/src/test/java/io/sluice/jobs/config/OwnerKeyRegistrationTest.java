package io.sluice.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import io.sluice.schemas.signing.OwnerKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnerKeyRegistrationTest {

    private final OwnerKey current = OwnerKey.generate();
    private final OwnerKey next = OwnerKey.generate();

    @Test
    void every_registered_key_speaks_for_its_owner_so_a_key_can_be_rotated() {
        var keys = new IntakeFactory().ownerKeys(List.of(owner("alice", current.publicKeyText(),
                next.publicKeyText())));

        assertThat(keys.find(current.keyId()).orElseThrow().owner()).isEqualTo("alice");
        assertThat(keys.find(next.keyId()).orElseThrow().owner()).isEqualTo("alice");
        assertThat(keys.find("unknown")).isEmpty();
    }

    @Test
    void a_key_that_does_not_parse_stops_the_start_naming_its_property() {
        assertThatThrownBy(() -> new IntakeFactory().ownerKeys(List.of(owner("alice", current.publicKeyText(),
                "not-a-key"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sluice.jobs.owners.alice.public-keys[1]: not an EC P-256 public key");
    }

    @Test
    void one_key_registered_for_two_owners_stops_the_start() {
        assertThatThrownBy(() -> new IntakeFactory().ownerKeys(List.of(owner("alice", current.publicKeyText()),
                owner("bob", current.publicKeyText()))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sluice.jobs.owners.bob.public-keys[0]: the same key is registered for owner "
                        + "'alice'");
    }

    private static OwnerProperties owner(String name, String... keys) {
        OwnerProperties owner = new OwnerProperties(name);
        owner.setPublicKeys(List.of(keys));
        return owner;
    }
}
