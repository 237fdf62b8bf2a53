package io.sluice.factory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The registry keeps a node's warnings and cgroups bounded, and says where it cut. */
class NodeWarningsTest {

    @Test
    void warnings_within_the_bounds_are_kept_as_they_are() {
        String longest = "w".repeat(NodeWarnings.MAX_WARNING_LENGTH);

        assertThat(NodeWarnings.bounded(List.of())).isEmpty();
        assertThat(NodeWarnings.bounded(List.of("isolation is NONE", longest)))
                .containsExactly("isolation is NONE", longest);
        assertThat(NodeWarnings.boundedCgroups("hybrid")).isEqualTo("hybrid");
        assertThat(NodeWarnings.boundedCgroups(null)).isNull();
    }

    @Test
    void an_over_long_warning_is_cut_to_the_bound_with_a_marker_that_says_so() {
        String warning = NodeWarnings.bounded(List.of("x".repeat(5_000))).getFirst();

        assertThat(warning).hasSize(NodeWarnings.MAX_WARNING_LENGTH).startsWith("xxx")
                .endsWith("… [cut at 1000 characters]");
        assertThat(NodeWarnings.boundedCgroups("v".repeat(100))).hasSize(NodeWarnings.MAX_CGROUPS_LENGTH)
                .endsWith("v…");
    }

    @Test
    void a_cut_never_splits_a_character_outside_the_basic_plane() {
        String warning = NodeWarnings.bounded(List.of("😀".repeat(2_000))).getFirst();

        assertThat(warning.codePointCount(0, warning.length())).isEqualTo(NodeWarnings.MAX_WARNING_LENGTH);
        assertThat(warning.replace(NodeWarnings.CUT_MARKER, "")).matches("(😀)+");
    }

    @Test
    void too_many_warnings_keep_the_first_ones_and_say_how_many_were_left_out() {
        List<String> many = IntStream.range(0, 25).mapToObj(i -> "warning " + i).toList();

        List<String> kept = NodeWarnings.bounded(many);

        assertThat(kept).hasSize(NodeWarnings.MAX_WARNINGS).startsWith("warning 0", "warning 1")
                .contains("warning 8").doesNotContain("warning 9");
        assertThat(kept.getLast()).isEqualTo("… and 16 more warnings, left out (a node keeps at most 10)");
    }
}
