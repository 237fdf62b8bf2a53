package io.sluice.bus.micronaut;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.sluice.bus.health.ServiceHealth;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Reports the service DOWN until its plumbing runs, and while its broker or database is away or a loop died. */
@Singleton
public class BusHealthIndicator implements HealthIndicator {

    private final ServiceHealth health;

    public BusHealthIndicator(ServiceHealth health) {
        this.health = health;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        health.snapshot().forEach((component, state) ->
                details.put(component, state.status() + ": " + state.detail()));
        // Starting counts as DOWN: the service cannot do its work until its plumbing runs.
        HealthStatus status = health.isUp() ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("sluice", status).details(details).build());
    }
}
