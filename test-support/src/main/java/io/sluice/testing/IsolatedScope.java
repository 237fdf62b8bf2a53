package io.sluice.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One test class's private corner of the shared servers: its own topic prefix, its own database, and clients
 * configured for them; closing it closes those clients and leaves the data for the JVM's end.
 */
public final class IsolatedScope implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IsolatedScope.class);

    private final String name;
    private final String topicPrefix;
    private final String database;
    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final PostgresServer postgres;
    private Admin admin;

    private IsolatedScope(String name, String id, String bootstrapServers, Map<String, String> clientProperties,
                          PostgresServer postgres) {
        this.name = name;
        this.topicPrefix = "t" + id + ".";
        this.database = "t_" + id;
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = Map.copyOf(clientProperties);
        this.postgres = postgres;
    }

    static IsolatedScope create(String name, String bootstrapServers, PostgresServer postgres) {
        return create(name, bootstrapServers, Map.of(), postgres);
    }

    /** @param clientProperties what every client of the scope adds: how it logs in to a secured broker, say */
    static IsolatedScope create(String name, String bootstrapServers, Map<String, String> clientProperties,
                                PostgresServer postgres) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        IsolatedScope scope = new IsolatedScope(name, id, bootstrapServers, clientProperties, postgres);
        postgres.createDatabase(scope.database);
        log.info("Scope {}: topics {}*, database {}", name, scope.topicPrefix, scope.jdbcUrl());
        return scope;
    }

    public String name() {
        return name;
    }

    /** Prepended to every topic and consumer group name of this scope, e.g. {@code t0123456789.}. */
    public String topicPrefix() {
        return topicPrefix;
    }

    /** This scope's name for a topic or group, e.g. {@code topic("sluice.job.events")}. */
    public String topic(String name) {
        return topicPrefix + name;
    }

    /** This scope's own database, e.g. {@code t_0123456789}. */
    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl(database);
    }

    public String username() {
        return postgres.username();
    }

    public String password() {
        return postgres.password();
    }

    /** A new non-pooling data source for this scope's database. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(username());
        dataSource.setPassword(password());
        return dataSource;
    }

    /** A new connection to this scope's database whose unqualified names resolve in {@code schema}. */
    public Connection connection(String schema) throws SQLException {
        PGSimpleDataSource dataSource = (PGSimpleDataSource) dataSource();
        dataSource.setCurrentSchema(schema);
        return dataSource.getConnection();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What every client of this scope adds to its configuration (a login to a secured broker); none by default. */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    /** A fresh, modifiable producer configuration: byte arrays, {@code acks=all}, idempotent, no lingering. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.putAll(clientProperties);
        return properties;
    }

    /**
     * A fresh, modifiable consumer configuration for the group {@code topic(groupId)}, or for no group when
     * {@code groupId} is null: byte arrays, from the earliest offset, committed records only, no auto-commit.
     */
    public Map<String, Object> consumerProperties(String groupId) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (groupId != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, topic(groupId));
        }
        properties.putAll(clientProperties);
        return properties;
    }

    /** An admin client on the shared broker, created once and closed with this scope. */
    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> properties = new HashMap<>(clientProperties);
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            admin = Admin.create(properties);
        }
        return admin;
    }

    /** A reader of this scope's topics (pass full names, e.g. {@code topic("sluice.job.events")}). */
    public TopicReader topicReader() {
        return new TopicReader(consumerProperties(null));
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
