package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadRoundTest {

    @Test
    void a_round_is_compared_with_the_mean_of_the_loops_either_side_of_it() {
        LoadRound round = new LoadRound(1, 27.0, 35.0, 37.0, 0.2);

        assertThat(round.ratio()).isCloseTo(0.75, within(1e-9));
        assertThat(round.describe()).isEqualTo("round 1: 27.0 completed jobs/s = 75 % of the runc loop "
                + "(35.0 runs/s before it, 37.0 after it)");
    }

    @Test
    void a_round_whose_loops_differ_by_more_than_a_tenth_says_that_the_machine_drifted() {
        LoadRound round = new LoadRound(2, 20.0, 30.0, 24.0, 0.0);

        assertThat(round.drift()).isCloseTo(0.25, within(1e-9));
        assertThat(round.describe()).endsWith("; the loop changed by 25 %: the machine drifted");
    }

    @Test
    void a_round_in_which_the_host_took_more_than_two_percent_of_the_cores_says_that_it_measures_the_host() {
        LoadRound round = new LoadRound(3, 14.8, 20.5, 10.8, 40.0);

        assertThat(round.stolen()).isTrue();
        assertThat(round.describe()).endsWith("; the host took up to 40 % of the cores (steal): the ratio measures "
                + "the host");
        assertThat(new LoadRound(3, 14.8, 20.5, 20.8, 2.0).stolen()).isFalse();
    }

    @Test
    void the_median_round_is_the_middle_ratio_and_the_lower_middle_of_an_even_number() {
        LoadRound low = new LoadRound(1, 21.6, 30.0, 30.0, 0.1);
        LoadRound high = new LoadRound(2, 24.9, 30.0, 30.0, 0.1);
        LoadRound middle = new LoadRound(3, 23.1, 30.0, 30.0, 0.1);

        assertThat(LoadRound.median(List.of(low, high, middle))).isEqualTo(middle);
        assertThat(LoadRound.median(List.of(high, low))).isEqualTo(low);
        assertThat(LoadRound.median(List.of(high))).isEqualTo(high);
    }

    @Test
    void the_median_leaves_out_the_rounds_the_host_took_from_unless_it_took_from_all() {
        LoadRound clean = new LoadRound(1, 39.1, 44.6, 47.3, 0.1);
        LoadRound stolen = new LoadRound(2, 41.2, 54.0, 21.9, 10.5);
        LoadRound alsoStolen = new LoadRound(3, 13.8, 10.8, 10.4, 40.5);

        assertThat(LoadRound.median(List.of(stolen, clean, alsoStolen))).isEqualTo(clean);
        assertThat(LoadRound.median(List.of(stolen, alsoStolen))).isEqualTo(stolen);
    }
}
