package io.sluice.bus.consume;

import java.time.Duration;

/**
 * How a consumer loop polls, how many events of one poll it applies in one transaction, how often it commits its
 * Kafka offsets, and how often it retries a failing handler before dead-lettering the event.
 */
public record ConsumerLoopSettings(Duration pollTimeout, int maxEventsPerTransaction, Duration commitInterval,
                                   int maxHandlerAttempts, Duration retryBackoff) {

    public static ConsumerLoopSettings defaults() {
        return new ConsumerLoopSettings(Duration.ofMillis(200), 100, Duration.ofSeconds(1), 3,
                Duration.ofMillis(500));
    }
}
