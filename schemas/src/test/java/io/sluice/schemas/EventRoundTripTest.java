package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventRoundTripTest {

    static Stream<Arguments> everyEventTypeOfEveryTopic() {
        return Arrays.stream(Topic.values()).flatMap(topic -> SampleEvents.payloadTypesOf(topic).stream()
                .map(payloadType -> Arguments.of(topic, payloadType.getName(), payloadType)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyEventTypeOfEveryTopic")
    void an_event_with_every_field_filled_survives_encoding_and_decoding(Topic topic, String name, Schema payloadType) {
        SpecificRecordBase envelope = SampleEvents.envelopeWith(topic, payloadType);
        EventCodec<SpecificRecordBase> codec = EventCodec.forTopic(topic);

        SpecificRecordBase decoded = codec.decode(codec.encode(envelope));

        assertThat(decoded).isInstanceOf(topic.valueClass()).isEqualTo(envelope);
        assertThat(Envelopes.payloadOf(decoded)).isInstanceOf(SpecificRecordBase.class)
                .extracting(payload -> ((SpecificRecordBase) payload).getSchema().getName()).isEqualTo(name);
        assertNoNullAnywhere(decoded, topic.topicName());
    }

    @Test
    void every_value_starts_with_the_single_object_marker_and_the_little_endian_fingerprint_of_its_schema() {
        for (Topic topic : Topic.values()) {
            byte[] bytes = EventCodec.forTopic(topic)
                    .encode(SampleEvents.envelopeWith(topic, SampleEvents.payloadTypesOf(topic).getFirst()));

            long fingerprint = SchemaNormalization.parsingFingerprint64(topic.valueSchema());
            byte[] expectedHeader = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
                    .put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
            assertThat(Arrays.copyOf(bytes, 10)).as(topic.topicName()).isEqualTo(expectedHeader);
        }
    }

    @Test
    void the_kafka_serializer_and_deserializer_round_trip_and_keep_tombstones_null() {
        var envelope = Fixtures.aJobSubmittedEnvelope();
        try (var serializer = EventSerializer.<io.sluice.events.job.JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS);
             var deserializer = EventDeserializer.<io.sluice.events.job.JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS)) {
            byte[] bytes = serializer.serialize("any.prefix.sluice.job.requests", envelope);

            assertThat(deserializer.deserialize("any.prefix.sluice.job.requests", bytes)).isEqualTo(envelope);
            assertThat(serializer.serialize("t", null)).isNull();
            assertThat(deserializer.deserialize("t", null)).isNull();
        }
    }

    @Test
    void a_deserializer_made_by_class_name_takes_its_topic_from_the_config() {
        byte[] bytes = EventCodec.forTopic(Topic.JOB_REQUESTS).encode(Fixtures.aJobSubmittedEnvelope());
        try (var deserializer = new EventDeserializer<io.sluice.events.job.JobRequestEnvelope>()) {
            deserializer.configure(Map.of(EventSerdeConfig.TOPIC_CONFIG, "sluice.job.requests"), false);

            assertThat(deserializer.deserialize("sluice.job.requests", bytes)).isEqualTo(Fixtures.aJobSubmittedEnvelope());
        }
    }

    private static void assertNoNullAnywhere(Object value, String path) {
        assertThat(value).as(path).isNotNull();
        if (value instanceof GenericRecord record) {
            for (Schema.Field field : record.getSchema().getFields()) {
                assertNoNullAnywhere(record.get(field.pos()), path + "." + field.name());
            }
        } else if (value instanceof Collection<?> items) {
            assertThat(items).as(path).isNotEmpty();
            items.forEach(item -> assertNoNullAnywhere(item, path + "[]"));
        } else if (value instanceof Map<?, ?> map) {
            assertThat(map).as(path).isNotEmpty();
            map.forEach((key, item) -> assertNoNullAnywhere(item, path + "[" + key + "]"));
        }
    }
}
