package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.events.EventMetadata;
import io.sluice.events.GrantedResource;
import io.sluice.events.SealedSecret;
import io.sluice.events.SecretLocation;
import io.sluice.events.SecretRef;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.events.resource.ResourceGranted;
import io.sluice.schemas.json.EventJsonEncoder;
import io.sluice.schemas.json.RecordPlace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The one Avro-to-JSON encoder writes every event of every topic plainly, and never a secret's value. */
class EventJsonEncoderTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:15:30.123Z");
    private static final EventMetadata METADATA = Envelopes.metadata(
            UUID.fromString("00000000-0000-0000-0000-000000000001"), AT, "job-1", "cause-1", "job-service/host-1");

    @Test
    void every_event_of_every_topic_is_written_with_its_type_name_and_fields_without_union_tags() {
        List<String> types = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            for (Schema payloadType : SampleEvents.payloadTypesOf(topic)) {
                SpecificRecordBase envelope = SampleEvents.envelopeWith(topic, payloadType);
                ObjectNode record = EventJsonEncoder.record(new RecordPlace(topic.topicName(), 2, 41L, AT), "k",
                        envelope);
                assertThat(fieldNames(record)).containsExactly("topic", "partition", "offset", "timestamp", "key",
                        "metadata", "type", "payload");
                assertThat(record.get("type").asText()).isEqualTo(payloadType.getName());
                assertThat(fieldNames(record.get("metadata"))).containsExactly("eventId", "occurredAt",
                        "correlationId", "causationId", "producer");
                assertThat(fieldNames(record.get("payload"))).containsExactlyElementsOf(
                        payloadType.getFields().stream().map(Schema.Field::name).toList());
                // Avro's own JSON encoding wraps a union's value in its type's name: this one never does.
                assertThat(EventJsonEncoder.text(record)).doesNotContain("\"io.sluice.", "\"string\":", "\"long\":");
                types.add(payloadType.getName());
            }
        }
        assertThat(types).contains("JobSubmitted", "JobAccepted", "LogChunk", "DeadLetter", "ResourceGranted");
    }

    @Test
    void times_are_iso_text_enums_their_names_bytes_base64_and_the_record_form_says_where_it_was_read() {
        LogChunk chunk = LogChunk.newBuilder().setJobId("job-1").setWorkerId("w-1").setProcess("build")
                .setStream(LogStream.STDERR).setSequence(7).setStreamOffset(0)
                .setData(ByteBuffer.wrap("oops\n".getBytes(StandardCharsets.UTF_8))).build();

        String text = EventJsonEncoder.text(EventJsonEncoder.record(new RecordPlace("p.sluice.job.logs", 3, 12L, AT),
                "job-1", EventJsonEncoder.event(METADATA, chunk)));

        assertThat(text).isEqualTo("{\"topic\":\"p.sluice.job.logs\",\"partition\":3,\"offset\":12,"
                + "\"timestamp\":\"2026-12-06T10:15:30.123Z\",\"key\":\"job-1\",\"metadata\":{"
                + "\"eventId\":\"00000000-0000-0000-0000-000000000001\",\"occurredAt\":\"2026-12-06T10:15:30.123Z\","
                + "\"correlationId\":\"job-1\",\"causationId\":\"cause-1\",\"producer\":\"job-service/host-1\"},"
                + "\"type\":\"LogChunk\",\"payload\":{\"jobId\":\"job-1\",\"workerId\":\"w-1\",\"process\":\"build\","
                + "\"stream\":\"STDERR\",\"sequence\":7,\"streamOffset\":0,\"data\":\""
                + Base64.getEncoder().encodeToString("oops\n".getBytes(StandardCharsets.UTF_8))
                + "\",\"truncated\":false}}");
    }

    @Test
    void a_sealed_secret_shows_its_key_and_algorithm_and_size_never_its_ciphertext() {
        byte[] ciphertext = "not-to-be-shown-0123456789".getBytes(StandardCharsets.UTF_8);
        ResourceGranted granted = ResourceGranted.newBuilder().setJobId("job-1").setResource(GrantedResource
                .newBuilder().setResourceId("db-1").setType("scratch-db").setMetadata(Map.of("host", "localhost"))
                .setSecrets(List.of(
                        SecretRef.newBuilder().setName("password").setSource(SealedSecret.newBuilder()
                                .setKeyId("k1").setAlgorithm("AES-256-GCM").setCiphertext(ByteBuffer.wrap(ciphertext))
                                .build()).build(),
                        SecretRef.newBuilder().setName("token").setSource(SecretLocation.newBuilder()
                                .setUri("vault://kv/sluice/1#token").build()).build()))
                .build()).build();

        JsonNode payload = EventJsonEncoder.event(METADATA, granted).get("payload");
        String text = EventJsonEncoder.text(payload);

        assertThat(text).contains("{\"name\":\"password\",\"source\":{\"sealed\":true,\"keyId\":\"k1\","
                + "\"algorithm\":\"AES-256-GCM\",\"ciphertextBytes\":" + ciphertext.length + "}}",
                "{\"name\":\"token\",\"source\":{\"uri\":\"vault://kv/sluice/1#token\"}}");
        assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(ciphertext), "not-to-be-shown");
    }

    @Test
    void an_undecodable_record_keeps_its_place_and_says_why() {
        String text = EventJsonEncoder.text(EventJsonEncoder.undecodable(
                new RecordPlace("sluice.job.events", 0, 5L, AT), null, "not single-object encoded", 3));

        assertThat(text).isEqualTo("{\"topic\":\"sluice.job.events\",\"partition\":0,\"offset\":5,"
                + "\"timestamp\":\"2026-12-06T10:15:30.123Z\",\"key\":null,"
                + "\"undecodable\":\"not single-object encoded\",\"size\":3}");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
