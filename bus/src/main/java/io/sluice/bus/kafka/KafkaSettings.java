package io.sluice.bus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka client settings every Sluice component uses: bytes on the wire (decoding is done by the schemas codec),
 * plus the operator's client properties ({@code sluice.kafka.properties.*}: security, timeouts, anything Kafka
 * takes), which override ours.
 */
public final class KafkaSettings {

    private KafkaSettings() {
    }

    /** {@link #producer(String, String, Map)} without client properties of the operator's. */
    public static Map<String, Object> producer(String bootstrapServers, String clientId) {
        return producer(bootstrapServers, clientId, Map.of());
    }

    /** An idempotent producer that waits for all in-sync replicas and sends at once (latency path). */
    public static Map<String, Object> producer(String bootstrapServers, String clientId,
                                               Map<String, String> clientProperties) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return withClientProperties(props, clientProperties);
    }

    /** {@link #assignedConsumer(String, String, Map)} without client properties of the operator's. */
    public static Map<String, Object> assignedConsumer(String bootstrapServers, String clientId) {
        return assignedConsumer(bootstrapServers, clientId, Map.of());
    }

    /** A consumer that assigns itself partitions and keeps its position itself: no group, no committed offsets. */
    public static Map<String, Object> assignedConsumer(String bootstrapServers, String clientId,
                                                       Map<String, String> clientProperties) {
        Map<String, Object> props = consumer(bootstrapServers, null, clientId, clientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    /** {@link #consumer(String, String, String, Map)} without client properties of the operator's. */
    public static Map<String, Object> consumer(String bootstrapServers, String groupId, String clientId) {
        return consumer(bootstrapServers, groupId, clientId, Map.of());
    }

    /** A group member that commits offsets itself, only after the records' effects are durable. */
    public static Map<String, Object> consumer(String bootstrapServers, String groupId, String clientId,
                                               Map<String, String> clientProperties) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // A crashed instance holds its partitions until its session expires: 10 s rather than the default 45 s.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return withClientProperties(props, clientProperties);
    }

    /** An admin client whose every request (the health check's included) gives up after {@code timeout}. */
    public static Map<String, Object> admin(String bootstrapServers, String clientId, Duration timeout,
                                            Map<String, String> clientProperties) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return withClientProperties(props, clientProperties);
    }

    /** The operator's properties override ours: they know their broker. */
    private static Map<String, Object> withClientProperties(Map<String, Object> props,
                                                            Map<String, String> clientProperties) {
        Objects.requireNonNull(clientProperties, "clientProperties").forEach(props::put);
        return props;
    }
}
