package io.sluice.factory.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The `sluice.factory.*` settings: how long a node may stay silent before it is lost, and how often the factory
 * looks for silent nodes and refreshes its gauges.
 */
@ConfigurationProperties("sluice.factory")
public record FactorySettings(
        @Bindable(defaultValue = "15s") @NotNull Duration nodeLostAfter,
        @Bindable(defaultValue = "1s") @NotNull Duration lostNodeCheckInterval,
        @Bindable(defaultValue = "5s") @NotNull Duration metricsInterval) {

    public FactorySettings {
        requirePositive("sluice.factory.node-lost-after", nodeLostAfter);
        requirePositive("sluice.factory.lost-node-check-interval", lostNodeCheckInterval);
        requirePositive("sluice.factory.metrics-interval", metricsInterval);
    }

    private static void requirePositive(String name, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
