package io.sluice.well.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.well.domain.AdmitInFifoOrder;
import io.sluice.well.domain.InstanceChange;
import io.sluice.well.domain.InstanceLifecycle;
import io.sluice.well.domain.InstanceState;
import io.sluice.well.domain.ResourceInstance;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellEvent;
import io.sluice.well.domain.WellTypes;
import io.sluice.well.publish.PublishWellEvents;
import io.sluice.well.publish.WellMetrics;
import io.sluice.well.store.DemandRepository;
import io.sluice.well.store.DemandRow;
import io.sluice.well.store.InstanceRepository;
import io.sluice.well.store.InstanceRow;
import io.sluice.well.store.provision.ProvisionFailedException;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.Provisioner;
import io.sluice.well.store.provision.Provisioners;
import io.sluice.well.store.provision.ReleaseRequest;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an instance's changes in the caller's transaction, under its type's lock: stores them, runs the
 * provisioner when an instance is admitted or released (in the transaction, so a crash repeats the step with the same
 * instance id, which every provisioner takes as a repeat), emits the events they owe, and admits waiting demands
 * whenever capacity frees up.
 */
@Singleton
final class ApplyInstanceChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyInstanceChanges.class);
    private static final Set<String> HOLDING_CAPACITY = Set.of(InstanceState.PROVISIONING.name(),
            InstanceState.GRANTED.name(), InstanceState.RELEASING.name());

    private final WellTypes types;
    private final InstanceRepository instances;
    private final DemandRepository demands;
    private final Provisioners provisioners;
    private final PublishWellEvents publisher;
    private final WellMetrics metrics;

    ApplyInstanceChanges(WellTypes types, InstanceRepository instances, DemandRepository demands,
                         Provisioners provisioners, PublishWellEvents publisher, WellMetrics metrics) {
        this.types = types;
        this.instances = instances;
        this.demands = demands;
        this.provisioners = provisioners;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Applies {@code decision} to the instance {@code instanceId}; false when the well has no such instance. */
    boolean apply(HandlerContext context, String instanceId, Function<ResourceInstance, InstanceChange> decision,
                  Instant now) throws Exception {
        Optional<InstanceRow> row = instances.findById(instanceId);
        if (row.isEmpty()) {
            return false;
        }
        InstanceChange change = decision.apply(row.get().instance());
        InstanceRow stored = store(context, row.get(), change, null);
        boolean freed = change.freedCapacity();
        if (change.changed() && change.after().state() == InstanceState.RELEASING) {
            freed |= releaseNow(context, stored);
        }
        Optional<ResourceType> type = types.find(stored.type());
        if (freed && type.isPresent()) {
            admitWhatFits(context, type.get(), now);
        }
        return true;
    }

    /** Makes instances for the oldest waiting demands of {@code type} while it has capacity. */
    void admitWhatFits(HandlerContext context, ResourceType type, Instant now) throws Exception {
        while (true) {
            Set<Integer> slotsInUse = instances.findByTypeAndStateInList(type.name(), HOLDING_CAPACITY).stream()
                    .map(InstanceRow::slot).collect(Collectors.toSet());
            List<DemandRow> queue = demands.findByTypeAndStateOrderBySeq(type.name(), DemandRow.QUEUED);
            Map<String, DemandRow> byJob = queue.stream().collect(Collectors.toMap(DemandRow::jobId, d -> d));
            List<ResourceInstance> admitted = AdmitInFifoOrder.admit(type, slotsInUse,
                    queue.stream().map(DemandRow::demand).toList(), now);
            if (admitted.isEmpty()) {
                return;
            }
            boolean freed = false;
            for (ResourceInstance instance : admitted) {
                DemandRow demand = byJob.get(instance.jobId());
                demands.update(demand.inState(DemandRow.ADMITTED));
                Duration waited = Duration.between(demand.demandedAt(), now);
                context.afterCommit(() -> metrics.admitted(type.name(), waited));
                freed |= provisionNow(context, instances.save(InstanceRow.of(instance)), demand);
            }
            if (!freed) {
                return;
            }
            // A provisioning failed and gave its slot back: the next demand in line may have it.
        }
    }

    /** Makes the instance of {@code row}; true when it failed, so its capacity is free again. */
    private boolean provisionNow(HandlerContext context, InstanceRow row, DemandRow demand) throws Exception {
        Provisioner provisioner = provisioners.of(row.type());
        ResourceInstance instance = row.instance();
        long started = System.nanoTime();
        try {
            ProvisionedResource made = provisioner.provision(new ProvisionRequest(row.instanceId(), row.type(),
                    row.jobId(), row.owner(), demand.parameters(), row.slot(), row.expiresAt()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            context.afterCommit(() -> metrics.provisioned(row.type(), took, true));
            store(context, row, InstanceLifecycle.provisioned(instance), made);
            return false;
        } catch (ProvisionFailedException failure) {
            LOG.warn("{} for job {} could not be made: {}", row.instanceId(), row.jobId(), failure.getMessage());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            context.afterCommit(() -> metrics.provisioned(row.type(), took, false));
            // Whatever the provisioner made before it failed goes: a failed instance leaves nothing behind.
            provisioner.release(new ReleaseRequest(row.instanceId(), row.type(), Map.of()));
            store(context, row, InstanceLifecycle.provisionFailed(instance, failure.getMessage()), null);
            return true;
        }
    }

    /** Removes the instance of {@code row}, which is RELEASING; true, as its capacity is free afterwards. */
    private boolean releaseNow(HandlerContext context, InstanceRow row) throws Exception {
        long started = System.nanoTime();
        provisioners.of(row.type()).release(new ReleaseRequest(row.instanceId(), row.type(), row.metadata()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        context.afterCommit(() -> metrics.released(row.type(), took));
        store(context, row, InstanceLifecycle.released(row.instance()), null);
        return true;
    }

    private InstanceRow store(HandlerContext context, InstanceRow row, InstanceChange change,
                              ProvisionedResource made) throws Exception {
        InstanceRow stored = row;
        if (change.changed()) {
            stored = instances.update(row.updatedTo(change.after(), made == null ? null : made.metadata()));
        }
        for (WellEvent event : change.events()) {
            publisher.publish(context, event, made);
        }
        return stored;
    }
}
