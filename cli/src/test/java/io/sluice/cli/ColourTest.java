package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Colour only on a terminal, never with NO_COLOR set (even empty), never on a dumb terminal. */
class ColourTest {

    @Test
    void a_terminal_gets_colour_unless_no_color_is_set_to_anything() {
        assertThat(Colour.decide(true, Map.of("TERM", "xterm")).failure("x")).isEqualTo("\u001b[1;31mx\u001b[0m");
        assertThat(Colour.decide(true, Map.of("NO_COLOR", "1")).on()).isFalse();
        assertThat(Colour.decide(true, Map.of("NO_COLOR", "")).on()).isFalse();
        assertThat(Colour.decide(true, Map.of("TERM", "dumb")).on()).isFalse();
    }

    @Test
    void a_pipe_or_a_file_gets_none() {
        Colour colour = Colour.decide(false, Map.of("TERM", "xterm"));
        assertThat(colour.on()).isFalse();
        assertThat(colour.success("ok") + colour.failure("no") + colour.warning("hm")).isEqualTo("oknohm");
    }

    @Test
    void a_command_run_inside_another_program_writes_no_colour() {
        assertThat(Colour.ofStandardOutput().on()).isFalse();
    }
}
