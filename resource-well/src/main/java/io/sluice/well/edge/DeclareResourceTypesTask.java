package io.sluice.well.edge;

import io.micronaut.context.annotation.Value;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import io.sluice.well.publish.DeclareResourceTypes;
import io.sluice.well.store.DeclaredType;
import io.sluice.well.store.DeclaredTypeRepository;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Declares the configured types on {@code sluice.resource.types} as soon as the well runs (and again every
 * interval, which costs one record per type on a compacted topic), and retires the types it declared before that
 * its configuration no longer has: job-service validates jobs against what the wells declare.
 */
@Singleton
public final class DeclareResourceTypesTask implements PeriodicTask {

    private final WellTypes types;
    private final DeclaredTypeRepository declared;
    private final DeclareResourceTypes publisher;
    private final Duration interval;

    public DeclareResourceTypesTask(WellTypes types, DeclaredTypeRepository declared, DeclareResourceTypes publisher,
                                    @Value("${sluice.well.declare-interval:1h}") Duration interval) {
        this.types = types;
        this.declared = declared;
        this.publisher = publisher;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "declare-resource-types";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        context.inTransaction(tx -> {
            Set<String> configured = types.all().stream().map(ResourceType::name).collect(Collectors.toSet());
            for (DeclaredType before : declared.findAll()) {
                if (!configured.contains(before.type())) {
                    publisher.retire(tx, before.type());
                    declared.delete(before);
                }
            }
            for (ResourceType type : types.all()) {
                publisher.declare(tx, type);
                if (declared.existsById(type.name())) {
                    declared.update(new DeclaredType(type.name(), context.now()));
                } else {
                    declared.save(new DeclaredType(type.name(), context.now()));
                }
            }
            return null;
        });
    }
}
