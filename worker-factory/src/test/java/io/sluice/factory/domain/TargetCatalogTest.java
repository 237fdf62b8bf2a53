package io.sluice.factory.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Targets found by name or alias, unknown ones explained, and a name that two targets claim refused. */
class TargetCatalogTest {

    private final TargetCatalog catalog = new TargetCatalog(List.of(
            new Target("linux", "Linux hosts", null, Set.of("debian", "ubuntu")),
            new Target("illumos", "illumos hosts", "illumos-users", Set.of())));

    @Test
    void a_target_is_found_by_its_name_or_any_alias() {
        assertThat(catalog.resolve("linux")).map(Target::name).contains("linux");
        assertThat(catalog.resolve("ubuntu")).map(Target::name).contains("linux");
        assertThat(catalog.resolve("windows")).isEmpty();
    }

    @Test
    void an_unknown_target_is_explained_with_the_targets_that_exist() {
        assertThat(catalog.unknownTargetReason("windows"))
                .isEqualTo("unknown target 'windows'; known targets: illumos, linux (aliases debian, ubuntu)");
    }

    @Test
    void a_node_serving_an_alias_serves_its_target() {
        assertThat(catalog.canonical(List.of("debian", "illumos", "plan9"))).containsExactly("linux", "illumos", "plan9");
    }

    @Test
    void a_name_claimed_by_two_targets_is_refused() {
        assertThatThrownBy(() -> new TargetCatalog(List.of(
                new Target("linux", "", null, Set.of("gnu")),
                new Target("hurd", "", null, Set.of("gnu")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gnu' names both target");
    }
}
