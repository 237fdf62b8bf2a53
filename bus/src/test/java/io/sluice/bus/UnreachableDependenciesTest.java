package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.testapp.CountingApp;
import org.junit.jupiter.api.Test;

/** A service whose broker or database is away stays up, reports which one and where, and retries. */
class UnreachableDependenciesTest {

    private static final String NOWHERE_KAFKA = "localhost:1";
    private static final String NOWHERE_DATABASE = "jdbc:postgresql://localhost:1/nowhere";

    @Test
    void an_unreachable_broker_is_reported_down_by_name_and_address() throws Exception {
        try (BusHarness harness = new BusHarness("no-kafka")) {
            var wiring = new CountingApp.Wiring(NOWHERE_KAFKA, harness.wiring.jdbcUrl(), harness.wiring.user(),
                    harness.wiring.password(), BusHarness.SCHEMA, harness.wiring.topicPrefix());
            ServiceHealth health = new ServiceHealth();
            try (BusSupervisor app = CountingApp.start(wiring, "no-kafka", health, CrashPoints.NONE)) {
                awaitDown(health, "kafka", "Kafka broker unreachable at " + NOWHERE_KAFKA);
                await().atMost(BusHarness.DEADLINE).until(() -> health.snapshot().get("database").status()
                        == ComponentState.Status.UP);
                assertThat(health.isUp()).isFalse();
            }
        }
    }

    @Test
    void an_unreachable_database_is_reported_down_by_name_and_address() throws Exception {
        try (BusHarness harness = new BusHarness("no-database")) {
            var wiring = new CountingApp.Wiring(harness.wiring.bootstrapServers(), NOWHERE_DATABASE, "nobody", "secret",
                    BusHarness.SCHEMA, harness.wiring.topicPrefix());
            ServiceHealth health = new ServiceHealth();
            try (BusSupervisor app = CountingApp.start(wiring, "no-database", health, CrashPoints.NONE)) {
                awaitDown(health, "database", "PostgreSQL unreachable at " + NOWHERE_DATABASE);
                await().atMost(BusHarness.DEADLINE).until(() -> health.snapshot().get("kafka").status()
                        == ComponentState.Status.UP);
                assertThat(health.snapshot().get("database").detail()).doesNotContain("secret");
            }
        }
    }

    private static void awaitDown(ServiceHealth health, String component, String detail) {
        await().atMost(BusHarness.DEADLINE).untilAsserted(() -> {
            ComponentState state = health.snapshot().get(component);
            assertThat(state).isNotNull();
            assertThat(state.status()).isEqualTo(ComponentState.Status.DOWN);
            assertThat(state.detail()).contains(detail);
        });
    }
}
