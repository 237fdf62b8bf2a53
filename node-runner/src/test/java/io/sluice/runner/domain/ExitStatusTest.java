package io.sluice.runner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Shell-style exit statuses name the signal a process died of. */
class ExitStatusTest {

    @Test
    void a_status_above_128_names_the_signal() {
        assertThat(ExitStatus.signalOf(137)).isEqualTo("KILL");
        assertThat(ExitStatus.signalOf(143)).isEqualTo("TERM");
        assertThat(ExitStatus.signalOf(131)).isEqualTo("QUIT");
        assertThat(ExitStatus.signalOf(0)).isNull();
        assertThat(ExitStatus.signalOf(128)).isNull();
        assertThat(ExitStatus.signalOf(255)).isNull();
        assertThat(ExitStatus.signalOf(null)).isNull();
    }
}
