package io.sluice.cli.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.sluice.cli.CliFailure;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.schemas.signing.OwnerKey;
import io.sluice.schemas.signing.RequestSignature;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The job commands' connection to Sluice's Kafka: one producer and one consumer (no consumer group), each created on
 * first use, every wait on the broker bounded by {@link #CLIENT_TIMEOUT}, and every broker failure turned into a
 * {@link CliFailure} that says where the command looked.
 */
final class KafkaConnection implements AutoCloseable {

    /** How long any one request may wait for the broker before the command gives up and says so. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final TopicNaming naming;
    private final CommandLine command;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;

    KafkaConnection(String bootstrapServers, TopicNaming naming, CommandLine command) {
        this.bootstrapServers = bootstrapServers;
        this.naming = naming;
        this.command = command;
    }

    String nameOf(Topic topic) {
        return naming.nameOf(topic);
    }

    /**
     * Sends an event keyed by {@code key}, signed by {@code signer} ({@link RequestSignature}), and waits until every
     * in-sync replica has it.
     */
    <T extends SpecificRecordBase> void send(Topic topic, String key, T envelope, OwnerKey signer) {
        partitionCount(topic);
        byte[] value = EventCodec.<T>forTopic(topic).encode(envelope);
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(nameOf(topic), key.getBytes(StandardCharsets.UTF_8), value);
        record.headers().add(RequestSignature.HEADER,
                RequestSignature.sign(value, signer).getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(record).get(CLIENT_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw brokerFailure("could not send to " + nameOf(topic), e.getCause());
        } catch (java.util.concurrent.TimeoutException | TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while sending to " + nameOf(topic), e, JobExitCodes.NO_ANSWER);
        } catch (KafkaException e) {
            throw brokerFailure("could not send to " + nameOf(topic), e);
        }
    }

    /** The number of partitions of a topic; fails, saying so, when the broker is unreachable or lacks the topic. */
    int partitionCount(Topic topic) {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer().partitionsFor(nameOf(topic), CLIENT_TIMEOUT);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (KafkaException e) {
            throw brokerFailure("could not look up topic " + nameOf(topic), e);
        }
        if (partitions == null || partitions.isEmpty()) {
            throw new CliFailure("the broker at " + bootstrapServers + " has no topic " + nameOf(topic)
                    + ": has Sluice run there (its services create the topics), and is the topic prefix right "
                    + "(--topic-prefix or $" + KafkaOptions.PREFIX_ENV + ", now '" + naming.prefix() + "')?", null,
                    JobExitCodes.NO_ANSWER);
        }
        return partitions.size();
    }

    /** The partition Kafka's default partitioner gives a key, as every Sluice producer uses it. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The reading side: assigned partitions only, read-committed, nothing committed. */
    KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> properties = common();
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
            // The broker holds an empty fetch this long: short, so that a followed job's news shows promptly.
            properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
            consumer = create(() -> new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()));
        }
        return consumer;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> properties = common();
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, CLIENT_TIMEOUT.toMillis());
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis() * 3 / 2);
            producer = create(() -> new KafkaProducer<>(properties, new ByteArraySerializer(),
                    new ByteArraySerializer()));
        }
        return producer;
    }

    private Map<String, Object> common() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-cli");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
        return properties;
    }

    /** A bad address is the user's to fix: a usage error naming the option, not a stack trace. */
    private <C> C create(Supplier<C> client) {
        try {
            return client.get();
        } catch (KafkaException e) {
            Throwable cause = e.getCause() instanceof ConfigException ? e.getCause() : e;
            throw new ParameterException(command, "--bootstrap-servers '" + bootstrapServers + "': "
                    + cause.getMessage());
        }
    }

    private CliFailure unreachable(Exception e) {
        return new CliFailure("no answer from the Kafka broker at " + bootstrapServers + " within "
                + CLIENT_TIMEOUT.toSeconds() + " s: is Sluice running there (./sluice dev)? Set the address with "
                + "--bootstrap-servers or $" + KafkaOptions.BOOTSTRAP_ENV + ".", null, JobExitCodes.NO_ANSWER);
    }

    private CliFailure brokerFailure(String what, Throwable cause) {
        if (cause instanceof TimeoutException timeout) {
            return unreachable(timeout);
        }
        return new CliFailure(what + " on " + bootstrapServers + ": " + cause.getMessage(), cause,
                JobExitCodes.NO_ANSWER);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (consumer != null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }
}
