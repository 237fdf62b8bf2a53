package io.sluice.runner.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Exit statuses, identifiers and the availability check. */
class SmallPartsTest {

    @Test
    void aStatusAbove128NamesTheSignal() {
        assertThat(ExitStatus.signalOf(137)).isEqualTo("KILL");
        assertThat(ExitStatus.signalOf(143)).isEqualTo("TERM");
        assertThat(ExitStatus.signalOf(131)).isEqualTo("QUIT");
        assertThat(ExitStatus.signalOf(0)).isNull();
        assertThat(ExitStatus.signalOf(128)).isNull();
        assertThat(ExitStatus.signalOf(255)).isNull();
        assertThat(ExitStatus.signalOf(null)).isNull();
    }

    @Test
    void containerIdsAreStableSafeAndDistinct() {
        String id = Ids.containerId(new ProcessKey("worker/1", "web"));
        assertThat(id).matches("[\\w+.-]+").isEqualTo(Ids.containerId(new ProcessKey("worker/1", "web")));
        assertThat(Ids.containerId(new ProcessKey("worker_1", "web"))).isNotEqualTo(id);
        assertThat(Ids.hostname("job_1.a")).isEqualTo("job-1-a");
        assertThat(Ids.hostname("x".repeat(100))).hasSize(63);
    }

    @Test
    void aMissingRuncIsExplained() {
        Availability availability = RuncIsolation.available(Path.of("/nonexistent/runc"), RuncIsolation.DEFAULT_TINI);

        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).contains("/nonexistent/runc").contains("none");
    }
}
