package io.sluice.cli.jobs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.sluice.cli.CliFailure;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.schemas.signing.OwnerKey;
import io.sluice.schemas.signing.RequestSignature;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The job commands' connection to Sluice's Kafka: one producer and one consumer (no consumer group), each created on
 * first use with the user's client properties over ours, every wait on the broker bounded by {@link #CLIENT_TIMEOUT},
 * and every broker failure turned into a {@link CliFailure} of one line that says where the command looked, and, when
 * the broker refused, as whom and what.
 */
public final class KafkaConnection implements AutoCloseable {

    /** How long any one request may wait for the broker before the command gives up and says so. */
    public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final TopicNaming naming;
    private final KafkaClientConfig config;
    private final CommandLine command;
    private final BrokerFailures failures;
    private KafkaProducer<byte[], byte[]> producer;
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> consumer;

    KafkaConnection(String bootstrapServers, TopicNaming naming, KafkaClientConfig config, CommandLine command) {
        this.bootstrapServers = bootstrapServers;
        this.naming = naming;
        this.config = config;
        this.command = command;
        this.failures = new BrokerFailures(bootstrapServers, config);
    }

    /**
     * A connection for a command that reads the broker on its own behalf, without the job commands' options (as
     * {@code sluice dev} reads its node's heartbeat): logs in with the client properties file {@code clientConfig}
     * (null for none).
     *
     * @throws IllegalArgumentException naming the file and line of a property that is wrong
     */
    public static KafkaConnection withClientConfig(String bootstrapServers, TopicNaming naming, Path clientConfig,
                                                   CommandLine command) {
        return new KafkaConnection(bootstrapServers, naming,
                KafkaClientConfig.read(clientConfig, "client properties", List.of()), command);
    }

    /** What the command says when the broker failed it. */
    public BrokerFailures failures() {
        return failures;
    }

    public String nameOf(Topic topic) {
        return naming.nameOf(topic);
    }

    /**
     * Sends the event {@code envelopeAt} builds for the time it is sent, keyed by {@code key} and signed by
     * {@code signer} ({@link RequestSignature}; null for a topic whose readers check no signature, where the broker's
     * ACLs say who may write), and waits until every in-sync replica has it. The producer connects
     * and learns the topic's partitions first, so the event's {@code occurredAt} is the moment it leaves, not the
     * moment the command started (a JVM and a producer's start can take a second); the record carries the same
     * time as its timestamp, so Kafka's tools and the event agree.
     */
    public <T extends SpecificRecordBase> Instant send(Topic topic, String key, Function<Instant, T> envelopeAt,
                                                OwnerKey signer) {
        partitionCount(topic);
        connectProducer(topic);
        Instant sentAt = Instant.now();
        T envelope = envelopeAt.apply(sentAt);
        byte[] value = EventCodec.<T>forTopic(topic).encode(envelope);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(nameOf(topic), null, sentAt.toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8), value);
        if (signer != null) {
            record.headers().add(RequestSignature.HEADER,
                    RequestSignature.sign(value, signer).getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer().send(record).get(CLIENT_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                throw failures.tooLarge(nameOf(topic), value.length, tooLarge, () -> topicLimit(topic));
            }
            throw failures.of("could not send to " + nameOf(topic), e.getCause(), "write to", nameOf(topic));
        } catch (java.util.concurrent.TimeoutException | TimeoutException e) {
            throw failures.unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while sending to " + nameOf(topic), e, JobExitCodes.NO_ANSWER);
        } catch (KafkaException e) {
            throw failures.of("could not send to " + nameOf(topic), e, "write to", nameOf(topic));
        }
        return sentAt;
    }

    /** Creates the producer and has it fetch the topic's metadata, the waits a first send would otherwise include. */
    private void connectProducer(Topic topic) {
        try {
            producer().partitionsFor(nameOf(topic));
        } catch (TimeoutException e) {
            throw failures.unreachable();
        } catch (KafkaException e) {
            throw failures.of("could not send to " + nameOf(topic), e, "write to", nameOf(topic));
        }
    }

    /** The number of partitions of a topic; fails, saying so, when the broker is unreachable or lacks the topic. */
    public int partitionCount(Topic topic) {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer().partitionsFor(nameOf(topic), CLIENT_TIMEOUT);
        } catch (TimeoutException e) {
            throw failures.unreachable();
        } catch (KafkaException e) {
            throw failures.of("could not look up topic " + nameOf(topic), e, "read", nameOf(topic));
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
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The reading side: assigned partitions only, read-committed, nothing committed. */
    public KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> properties = common();
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
            // The broker holds an empty fetch this long: short, so that a followed job's news shows promptly.
            properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
            properties.putAll(config.forConsumer());
            consumer = create(() -> new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()));
        }
        return consumer;
    }

    /** The consumer's properties, the user's over ours, for a component that makes its own consumer. */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> properties = common();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
        properties.putAll(config.forConsumer());
        return properties;
    }

    /** An admin client with the user's client properties, every request bounded by {@link #CLIENT_TIMEOUT}. */
    public Admin admin() {
        if (admin == null) {
            Map<String, Object> properties = new HashMap<>(config.forConsumer());
            properties.keySet().retainAll(AdminClientConfig.configNames());
            properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-cli");
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
            properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
            admin = create(() -> Admin.create(properties));
        }
        return admin;
    }

    /** The brokers this connection talks to, as the options resolved them. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The prefix of Sluice's topic and consumer group names. */
    public TopicNaming naming() {
        return naming;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> properties = common();
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            // Not idempotent: its producer id would cost a round trip (hundreds of ms on a fresh, SASL-secured
            // connection) after the request is stamped, which the submission's time would count. A command sends one
            // record and waits for it, and every reader deduplicates by event id, so a retried copy changes nothing.
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, CLIENT_TIMEOUT.toMillis());
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis() * 3 / 2);
            properties.putAll(config.forProducer());
            producer = create(() -> new KafkaProducer<>(properties, new ByteArraySerializer(),
                    new ByteArraySerializer()));
        }
        return producer;
    }

    private Map<String, Object> common() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-cli");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
        // The address as the options resolved it, whatever the client properties say.
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /**
     * A bad address or client property is the user's to fix: a usage error naming the option, the file and line or
     * the -X argument, not a stack trace.
     */
    private <C> C create(Supplier<C> client) {
        try {
            return client.get();
        } catch (KafkaException e) {
            Throwable cause = e.getCause() instanceof ConfigException ? e.getCause() : e;
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            throw new ParameterException(command, placeOfProblem(message) + ": " + message);
        }
    }

    /** Which of the user's settings a client's complaint is about; the address unless it names a property given. */
    private String placeOfProblem(String message) {
        for (String name : List.of(SaslConfigs.SASL_JAAS_CONFIG,
                SaslConfigs.SASL_MECHANISM,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)) {
            if (message.contains(name) && config.placeOf(name) != null) {
                return config.placeOf(name);
            }
        }
        if (message.toLowerCase(Locale.ROOT).contains("jaas") && config.placeOf(
                SaslConfigs.SASL_JAAS_CONFIG) != null) {
            return config.placeOf(SaslConfigs.SASL_JAAS_CONFIG);
        }
        return "--bootstrap-servers '" + bootstrapServers + "'";
    }

    /** The topic's max.message.bytes, or null when the broker does not say (or this user may not ask). */
    private String topicLimit(Topic topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, nameOf(topic));
        try {
            Config topicConfig = admin().describeConfigs(List.of(resource)).all()
                    .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(resource);
            ConfigEntry entry = topicConfig == null ? null : topicConfig.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null ? null : entry.value();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (consumer != null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }
}
