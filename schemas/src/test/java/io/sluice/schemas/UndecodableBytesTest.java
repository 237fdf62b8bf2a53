package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.schemas.UndecodableEventException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UndecodableBytesTest {

    private final EventCodec<JobRequestEnvelope> codec = EventCodec.forTopic(Topic.JOB_REQUESTS);
    private final byte[] good = codec.encode(Fixtures.aJobSubmittedEnvelope());

    @Test
    void bytes_without_the_single_object_marker_are_refused_with_what_they_start_with() {
        byte[] json = "{\"jobId\":\"42\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOfSatisfying(UndecodableEventException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.NOT_SINGLE_OBJECT_ENCODED);
                    assertThat(e.topic()).isEqualTo(Topic.JOB_REQUESTS);
                })
                .hasMessageContaining("sluice.job.requests")
                .hasMessageContaining("not single-object encoded")
                .hasMessageContaining("14 bytes starting 7b 22 6a 6f");
    }

    @Test
    void a_marker_without_a_whole_fingerprint_is_not_single_object_encoded() {
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, 6)))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.NOT_SINGLE_OBJECT_ENCODED))
                .hasMessageContaining("6 bytes starting c3 01");
        assertThatThrownBy(() -> codec.decode(new byte[0])).hasMessageContaining("got 0 bytes");
    }

    @Test
    void an_unknown_fingerprint_is_refused_and_printed_in_hex() {
        byte[] bytes = good.clone();
        byte[] unknown = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x01, 0x02, 0x03, 0x04};
        System.arraycopy(unknown, 0, bytes, 2, 8);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA))
                .hasMessageContaining("sluice.job.requests")
                .hasMessageContaining("unknown schema fingerprint [de ad be ef 01 02 03 04]")
                // The versions that share the current schema's fingerprint are named with it: "current = v4 [..]", "v1 = v2 [..]".
                .hasMessageMatching("(?s).*\\(current = v[0-9]+( = v[0-9]+)* \\[[0-9a-f ]{23}](, v[0-9]+( = v[0-9]+)* \\[[0-9a-f ]{23}])*\\).*");
    }

    @Test
    void a_value_of_another_topic_has_a_fingerprint_this_topic_does_not_know() {
        byte[] jobEvent = EventCodec.forTopic(Topic.JOB_EVENTS).encode(
                SampleEvents.envelopeWith(Topic.JOB_EVENTS, SampleEvents.payloadTypesOf(Topic.JOB_EVENTS).getFirst()));

        assertThatThrownBy(() -> codec.decode(jobEvent))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA));
    }

    @Test
    void a_truncated_body_is_refused() {
        byte[] truncated = Arrays.copyOf(good, good.length - 7);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_BODY))
                .hasMessageContaining("sluice.job.requests")
                .hasMessageContaining("the body does not match the schema io.sluice.events.job.JobRequestEnvelope")
                .hasMessageContaining("ends early");
    }

    @Test
    void bytes_left_over_after_the_body_are_refused() {
        byte[] padded = Arrays.copyOf(good, good.length + 3);

        assertThatThrownBy(() -> codec.decode(padded))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_BODY))
                .hasMessageContaining("3 bytes left over after the body");
    }

    @Test
    void a_garbage_body_behind_a_valid_header_is_refused_without_allocating_what_it_claims() {
        byte[] garbage = Arrays.copyOf(good, 40);
        // After the header: an event id string claiming a length of about a billion bytes.
        byte[] hugeLength = {(byte) 0x80, (byte) 0xa8, (byte) 0xd6, (byte) 0xb9, 0x07};
        System.arraycopy(hugeLength, 0, garbage, 10, hugeLength.length);

        assertThatThrownBy(() -> codec.decode(garbage))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_BODY));
    }

    @Test
    void an_invalid_event_id_is_a_malformed_body() {
        byte[] bytes = good.clone();
        bytes[11] = 'x'; // first character of the eventId UUID string (after its one-byte length)

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_BODY));
    }

    @Test
    void the_kafka_deserializer_turns_undecodable_bytes_into_a_serialization_exception_naming_the_topic() {
        try (var deserializer = EventDeserializer.<JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS)) {
            assertThatThrownBy(() -> deserializer.deserialize("test-7.sluice.job.requests", new byte[] {1, 2, 3}))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("test-7.sluice.job.requests")
                    .hasMessageContaining("not single-object encoded")
                    .hasCauseInstanceOf(UndecodableEventException.class);
        }
    }

    @Test
    void encoding_a_value_of_another_topic_is_refused() {
        EventCodec<org.apache.avro.specific.SpecificRecordBase> jobEvents = EventCodec.forTopic(Topic.JOB_EVENTS);

        assertThatThrownBy(() -> jobEvents.encode(Fixtures.aJobSubmittedEnvelope()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a value of topic sluice.job.events");
    }
}
