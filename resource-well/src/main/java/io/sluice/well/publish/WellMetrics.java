package io.sluice.well.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.well.domain.InstanceState;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The well's meters: per type its capacity, its instances by state, the demands waiting and how long they waited,
 * how long provisioning and release take, and the failures by kind.
 */
@Singleton
public final class WellMetrics {

    private static final List<InstanceState> LIVE_STATES = List.of(InstanceState.PROVISIONING, InstanceState.GRANTED,
            InstanceState.RELEASING);

    private final MeterRegistry registry;
    private final WellTypes types;
    private final MultiGauge capacity;
    private final MultiGauge instances;
    private final MultiGauge queued;

    public WellMetrics(MeterRegistry registry, WellTypes types) {
        this.registry = registry;
        this.types = types;
        this.capacity = MultiGauge.builder("sluice.well.capacity")
                .description("Instances a resource type may have at once").register(registry);
        this.instances = MultiGauge.builder("sluice.well.instances")
                .description("Instances holding capacity, per type and state").register(registry);
        this.queued = MultiGauge.builder("sluice.well.demands.queued")
                .description("Demands waiting for capacity, per type").register(registry);
        refresh(Map.of(), Map.of());
        // The failures of every type exist from the start, at 0, so the first one is an increase Prometheus sees.
        // Every type's meters exist from the start, at 0: a counter or histogram that appears at its first
        // observation shows Prometheus no increase, so rates, quantiles and alerts would miss that first one.
        for (ResourceType type : types.all()) {
            failures(type.name(), "provision");
            timer("sluice.well.queue.wait", "Time a demand waited for capacity", type.name());
            timer("sluice.well.release.duration", "Time a provisioner took to remove an instance", type.name());
            provisionTimer(type.name(), true);
            provisionTimer(type.name(), false);
        }
    }

    /** Shows the given counts; every type appears, with 0 where nothing is counted. */
    public void refresh(Map<String, Map<InstanceState, Long>> instancesPerType, Map<String, Long> queuedPerType) {
        capacity.register(types.all().stream().map(type -> MultiGauge.Row.of(Tags.of("type", type.name()),
                type.capacity())).toList(), true);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ResourceType type : types.all()) {
            Map<InstanceState, Long> byState = instancesPerType.getOrDefault(type.name(), Map.of());
            for (InstanceState state : LIVE_STATES) {
                rows.add(MultiGauge.Row.of(Tags.of("type", type.name(), "state", state.name()),
                        byState.getOrDefault(state, 0L)));
            }
        }
        instances.register(rows, true);
        queued.register(types.all().stream().map(type -> MultiGauge.Row.of(Tags.of("type", type.name()),
                queuedPerType.getOrDefault(type.name(), 0L))).toList(), true);
    }

    /** A demand got its instance after waiting {@code waited} in its type's queue. */
    public void admitted(String type, Duration waited) {
        // A demand admitted at once waits "less than nothing" when PostgreSQL rounded its stored time up to the
        // microsecond; a timer drops a negative time, and the admission would go uncounted.
        timer("sluice.well.queue.wait", "Time a demand waited for capacity", type)
                .record(waited.isNegative() ? Duration.ZERO : waited);
    }

    public void provisioned(String type, Duration took, boolean succeeded) {
        provisionTimer(type, succeeded).record(took);
        if (!succeeded) {
            failed(type, "provision");
        }
    }

    public void released(String type, Duration took) {
        timer("sluice.well.release.duration", "Time a provisioner took to remove an instance", type).record(took);
    }

    /** A failure of {@code kind}: provision (the provisioner failed), unknown-type (a type this well does not serve). */
    public void failed(String type, String kind) {
        failures(type, kind).increment();
    }

    private Counter failures(String type, String kind) {
        return Counter.builder("sluice.well.failures").description("Demands the well could not serve, by kind")
                .tags("type", type, "kind", kind).register(registry);
    }

    private Timer provisionTimer(String type, boolean succeeded) {
        return Timer.builder("sluice.well.provision.duration").description("Time a provisioner took to make an instance")
                .tags("type", type, "outcome", succeeded ? "granted" : "failed").publishPercentileHistogram()
                .register(registry);
    }

    private Timer timer(String name, String description, String type) {
        return Timer.builder(name).description(description).tags("type", type).publishPercentileHistogram()
                .register(registry);
    }
}
