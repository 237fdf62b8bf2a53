package io.sluice.bus.consume;

import java.time.Duration;

/** How a consumer loop polls, and how often it retries a failing handler before dead-lettering the event. */
public record ConsumerLoopSettings(Duration pollTimeout, int maxHandlerAttempts, Duration retryBackoff) {

    public static ConsumerLoopSettings defaults() {
        return new ConsumerLoopSettings(Duration.ofMillis(200), 3, Duration.ofMillis(500));
    }
}
