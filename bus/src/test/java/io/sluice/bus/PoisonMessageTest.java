package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.consume.ConsumerLoopSettings;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.testapp.CountSubmittedJobs;
import io.sluice.bus.testapp.CountingApp;
import io.sluice.bus.testapp.Fixtures;
import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad records never stall a consumer: each is dead-lettered with where it was and why, and the next is applied. */
class PoisonMessageTest {

    private static final String KEY = "same-key-so-same-partition";

    @Test
    void undecodable_bytes_unknown_schemas_and_failing_handlers_are_dead_lettered_and_the_loop_goes_on() throws Exception {
        try (BusHarness harness = new BusHarness("poison")) {
            byte[] garbage = "this is not avro".getBytes(StandardCharsets.UTF_8);
            byte[] unknownSchema = EventCodec.forTopic(Topic.JOB_REQUESTS).encode(Fixtures.aJobSubmitted("x"));
            unknownSchema[5] ^= 0x5A; // a fingerprint no shipped schema has
            byte[] exploding = EventCodec.forTopic(Topic.JOB_REQUESTS)
                    .encode(Fixtures.aJobSubmittedNamed("job-explodes", CountSubmittedJobs.EXPLODING_JOB_NAME));
            harness.produceRaw(Topic.JOB_REQUESTS, KEY, garbage);
            harness.produceRaw(Topic.JOB_REQUESTS, KEY, unknownSchema);
            harness.produceRaw(Topic.JOB_REQUESTS, KEY, exploding);
            harness.produceRaw(Topic.JOB_REQUESTS, KEY,
                    EventCodec.forTopic(Topic.JOB_REQUESTS).encode(Fixtures.aJobSubmitted("job-good")));

            ServiceHealth health = new ServiceHealth();
            try (BusSupervisor app = CountingApp.start(harness.wiring, "poison", health, CrashPoints.NONE)) {
                harness.awaitAllCounted(List.of("job-good"));
                List<DeadLetter> deadLetters = harness.scope.topicReader()
                        .awaitRecords(harness.topic(Topic.DEAD_LETTER), 3, BusHarness.DEADLINE).stream()
                        .map(r -> EventCodec.<DeadLetterEnvelope>forTopic(Topic.DEAD_LETTER).decode(r.value()))
                        .map(e -> (DeadLetter) e.getPayload())
                        .toList();

                assertThat(deadLetters).hasSize(3);
                assertThat(deadLetters).allSatisfy(d -> {
                    assertThat(d.getSourceTopic()).isEqualTo(harness.topic(Topic.JOB_REQUESTS));
                    assertThat(d.getConsumer()).isEqualTo("counting.requests");
                    assertThat(bytes(d.getKey())).isEqualTo(KEY.getBytes(StandardCharsets.UTF_8));
                });
                assertThat(deadLetters).extracting(DeadLetter::getOffset).containsExactly(0L, 1L, 2L);
                assertThat(bytes(deadLetters.get(0).getValue())).isEqualTo(garbage);
                assertThat(deadLetters.get(0).getErrorClass()).isEqualTo(UndecodableEventException.class.getName());
                assertThat(bytes(deadLetters.get(1).getValue())).isEqualTo(unknownSchema);
                assertThat(deadLetters.get(1).getErrorMessage()).containsIgnoringCase("fingerprint");
                assertThat(deadLetters.get(2).getErrorClass()).isEqualTo(IllegalStateException.class.getName());
                assertThat(deadLetters.get(2).getErrorMessage()).contains("job-explodes", "explodes");

                assertThat(harness.applied()).containsOnlyKeys("job-good").containsValue(1);
                assertThat(health.snapshot().get("consumer counting.requests").status())
                        .isEqualTo(io.sluice.bus.health.ComponentState.Status.UP);
            }
        }
    }

    @Test
    void an_event_whose_transaction_postgresql_aborts_as_a_conflict_is_retried_not_dead_lettered() throws Exception {
        try (BusHarness harness = new BusHarness("conflict")) {
            harness.produceRaw(Topic.JOB_REQUESTS, KEY, EventCodec.forTopic(Topic.JOB_REQUESTS)
                    .encode(Fixtures.aJobSubmittedNamed("job-conflicts", CountSubmittedJobs.CONFLICTING_JOB_NAME)));
            harness.produceRaw(Topic.JOB_REQUESTS, KEY,
                    EventCodec.forTopic(Topic.JOB_REQUESTS).encode(Fixtures.aJobSubmitted("job-after")));

            try (BusSupervisor app = CountingApp.start(harness.wiring, "conflict", new ServiceHealth(),
                    CrashPoints.NONE)) {
                harness.awaitAllCounted(List.of("job-conflicts", "job-after"));

                // more conflicts than handler attempts, yet applied once and nothing dead-lettered
                assertThat(CountSubmittedJobs.CONFLICTS)
                        .isGreaterThan(ConsumerLoopSettings.defaults().maxHandlerAttempts());
                assertThat(harness.applied()).containsEntry("job-conflicts", 1).containsEntry("job-after", 1);
                assertThat(harness.scope.topicReader().readAll(harness.topic(Topic.DEAD_LETTER))).isEmpty();
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
