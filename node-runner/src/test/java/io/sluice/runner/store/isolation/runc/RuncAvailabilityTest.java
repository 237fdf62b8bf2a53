package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.store.isolation.process.Availability;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The availability check says what runc isolation lacks on a host. */
class RuncAvailabilityTest {

    @Test
    void a_missing_runc_is_explained() {
        Availability availability = RuncIsolation.available(Path.of("/nonexistent/runc"), RuncIsolation.DEFAULT_TINI);

        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).contains("/nonexistent/runc").contains("none");
    }
}
