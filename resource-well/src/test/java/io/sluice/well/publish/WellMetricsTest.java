package io.sluice.well.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The well's meters count what happened, whatever the clocks' rounding made of it. */
class WellMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WellMetrics metrics = new WellMetrics(registry, new WellTypes(List.of(
            new ResourceType("lab-slot", 2, "lab", "semaphore", Duration.ofHours(1)))));

    @Test
    void an_admission_whose_stored_time_was_rounded_past_now_counts_as_no_wait() {
        metrics.admitted("lab-slot", Duration.ofNanos(-400));
        metrics.admitted("lab-slot", Duration.ofMillis(30));

        Timer wait = registry.get("sluice.well.queue.wait").tag("type", "lab-slot").timer();
        assertThat(wait.count()).isEqualTo(2);
        assertThat(wait.max(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
    }
}
