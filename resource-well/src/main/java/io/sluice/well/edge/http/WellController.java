package io.sluice.well.edge.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.well.domain.InstanceState;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import io.sluice.well.store.DemandRepository;
import io.sluice.well.store.DemandRow;
import io.sluice.well.store.InstanceRepository;
import io.sluice.well.store.InstanceRow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read-only well API: the types it serves with their capacity, instances in use and demands waiting; a type's
 * instances (metadata only, never a secret); and the ids of released tokens that have not expired yet.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class WellController {

    private static final Set<String> IN_USE = Set.of(InstanceState.PROVISIONING.name(), InstanceState.GRANTED.name(),
            InstanceState.RELEASING.name());

    private final WellTypes types;
    private final InstanceRepository instances;
    private final DemandRepository demands;
    private final Clock clock;

    public WellController(WellTypes types, InstanceRepository instances, DemandRepository demands, Clock clock) {
        this.types = types;
        this.instances = instances;
        this.demands = demands;
        this.clock = clock;
    }

    @Get("/types")
    public List<TypeView> types() {
        return types.all().stream().map(type -> new TypeView(type.name(), type.capacity(), type.privilege(),
                type.provisioner(), type.maxLifetime().toString(),
                instances.countByTypeAndStateInList(type.name(), IN_USE),
                demands.countByTypeAndState(type.name(), DemandRow.QUEUED))).toList();
    }

    @Get("/types/{type}/instances")
    public HttpResponse<?> instancesOf(String type) {
        if (types.find(type).isEmpty()) {
            return HttpResponse.notFound(Map.of("error", types.unknownTypeReason(type)));
        }
        return HttpResponse.ok(instances.findByTypeOrderByAdmittedAtDesc(type).stream().map(InstanceView::of)
                .toList());
    }

    /** Tokens released before their expiry: an external system that verifies a token refuses these. */
    @Get("/tokens/revoked")
    public Revoked revokedTokens() {
        List<String> tokenTypes = types.all().stream().filter(type -> type.provisioner().equals("token"))
                .map(ResourceType::name).toList();
        if (tokenTypes.isEmpty()) {
            return new Revoked(List.of());
        }
        return new Revoked(instances.findByTypeInListAndStateAndExpiresAtGreaterThanOrderByExpiresAt(tokenTypes,
                InstanceState.RELEASED.name(), clock.instant()).stream()
                .map(row -> new RevokedToken(row.instanceId(), row.expiresAt())).toList());
    }

    /** A type and how much of it is used. */
    @Serdeable
    public record TypeView(String name, int capacity, @Nullable String privilege, String provisioner,
                           String maxLifetime, long inUse, long queued) {
    }

    /** An instance as the API shows it: no secret, ever. */
    @Serdeable
    public record InstanceView(String instanceId, String type, String jobId, String owner, int slot, String state,
                               Instant admittedAt, Instant expiresAt, @Nullable String releaseReason,
                               Map<String, String> metadata) {

        static InstanceView of(InstanceRow row) {
            return new InstanceView(row.instanceId(), row.type(), row.jobId(), row.owner(), row.slot(), row.state(),
                    row.admittedAt(), row.expiresAt(), row.releaseReason(), row.metadata());
        }
    }

    /** The token ids (jti) revoked until they expire. */
    @Serdeable
    public record Revoked(List<RevokedToken> revoked) {
    }

    /** One revoked token: its id and when it would have expired anyway. */
    @Serdeable
    public record RevokedToken(String jti, Instant expiresAt) {
    }
}
