package io.sluice.cli.jobs;

import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.infra.LocalKafka;
import io.sluice.infra.SluicePrincipal;
import io.sluice.schemas.TopicNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job commands on a broker with SASL and ACLs, as `sluice dev` runs it: who may submit, and what others see. */
class SecuredBrokerTest {

    private static LocalKafka kafka;
    private static final Map<SluicePrincipal, String> PASSWORDS = new EnumMap<>(SluicePrincipal.class);
    private static final String READER_PASSWORD = UUID.randomUUID().toString();

    @TempDir
    Path directory;

    @BeforeAll
    static void startSecuredBroker() {
        kafka = LocalKafka.builder().secured(UUID.randomUUID().toString()).start();
        for (SluicePrincipal principal : SluicePrincipal.values()) {
            PASSWORDS.put(principal, UUID.randomUUID().toString());
        }
        SluicePrincipal.prepare(kafka, new TopicNaming(""), PASSWORDS);
        // A principal that may read what the CLI reads, but not write the requests topic.
        kafka.setScramUsers(Map.of("reader", READER_PASSWORD));
        List<AclBinding> reads = new ArrayList<>();
        for (String topic : List.of("sluice.job.requests", "sluice.job.events", "sluice.job.logs")) {
            reads.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry("User:reader", "*", AclOperation.READ, AclPermissionType.ALLOW)));
        }
        kafka.allow(reads);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void the_user_principal_submits_a_job() throws IOException {
        Path config = clientConfig("user", PASSWORDS.get(SluicePrincipal.USER));

        SluiceRun submit = SluiceRun.run("submit", "--owner-key", SluiceRun.ownerKeyFile().toString(), "--detach",
                "--job-id", "job-secured-1", "--step", "a=true",
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", config.toString());

        assertThat(submit.awaitExit()).as(submit.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(submit.out().strip()).isEqualTo("job-secured-1");
    }

    @Test
    void a_principal_without_write_access_to_the_requests_topic_is_refused_in_one_line() throws IOException {
        Path config = clientConfig("reader", READER_PASSWORD);

        SluiceRun submit = SluiceRun.run("submit", "--owner-key", SluiceRun.ownerKeyFile().toString(), "--detach",
                "--job-id", "job-secured-2", "--step", "a=true",
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", config.toString());

        assertThat(submit.awaitExit()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(submit.err().lines().toList()).containsExactly("sluice submit: the Kafka broker at "
                + kafka.bootstrapServers() + " does not allow user 'reader' to write to topic sluice.job.requests: "
                + "its operator grants that with an ACL");
        assertThat(submit.out()).isEmpty();
    }

    @Test
    void a_service_principal_may_not_submit_jobs() throws IOException {
        Path config = clientConfig("node-runner", PASSWORDS.get(SluicePrincipal.NODE_RUNNER));

        SluiceRun submit = SluiceRun.run("submit", "--owner-key", SluiceRun.ownerKeyFile().toString(), "--detach",
                "--job-id", "job-secured-3", "--step", "a=true",
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", config.toString());

        assertThat(submit.awaitExit()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(submit.err().lines().toList()).containsExactly("sluice submit: the Kafka broker at "
                + kafka.bootstrapServers() + " does not allow user 'node-runner' to read topic sluice.job.requests: "
                + "its operator grants that with an ACL");
    }

    @Test
    void the_user_principal_reads_the_status_topics_with_events_and_is_told_what_it_may_not_read() throws IOException {
        Path config = clientConfig("user", PASSWORDS.get(SluicePrincipal.USER));

        SluiceRun events = SluiceRun.run("events", "--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-config", config.toString());

        assertThat(events.awaitExit()).as(events.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(events.err().lines().filter(line -> line.contains("left out")).toList())
                .as("the services' own topics are the operator's")
                .contains("sluice events: warning: sluice.node.commands left out: the Kafka broker at "
                        + kafka.bootstrapServers() + " does not allow user 'user' to read topic sluice.node.commands: "
                        + "its operator grants that with an ACL")
                .noneMatch(line -> line.contains("sluice.job.events left out")
                        || line.contains("sluice.job.logs left out") || line.contains("sluice.job.state left out"));
    }

    @Test
    void the_user_principal_traces_a_job_on_the_topics_it_may_read_and_is_told_which_it_may_not() throws IOException {
        Path config = clientConfig("user", PASSWORDS.get(SluicePrincipal.USER));
        SluiceRun submit = SluiceRun.run("submit", "--owner-key", SluiceRun.ownerKeyFile().toString(), "--detach",
                "--job-id", "job-secured-traced", "--step", "a=true",
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", config.toString());
        assertThat(submit.awaitExit()).as(submit.err()).isEqualTo(JobExitCodes.SUCCEEDED);

        SluiceRun trace = SluiceRun.run("trace", "job-secured-traced", "--bootstrap-servers",
                kafka.bootstrapServers(), "--kafka-config", config.toString());

        assertThat(trace.awaitExit()).as(trace.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(trace.out()).contains("JobSubmitted owner=");
        assertThat(trace.err().lines().toList())
                .contains("sluice trace: warning: sluice.node.commands left out: the Kafka broker at "
                        + kafka.bootstrapServers() + " does not allow user 'user' to read topic sluice.node.commands: "
                        + "its operator grants that with an ACL")
                .allMatch(line -> line.startsWith("sluice trace: warning: "));
    }

    @Test
    void events_of_all_topics_leaves_out_those_a_principal_may_not_read_and_says_so() throws IOException {
        Path config = clientConfig("reader", READER_PASSWORD);

        SluiceRun all = SluiceRun.run("events", "--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-config", config.toString());
        SluiceRun named = SluiceRun.run("events", "node.commands", "--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-config", config.toString());

        assertThat(all.awaitExit()).as(all.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(all.err().lines().toList()).contains("sluice events: warning: sluice.node.commands left out: the "
                + "Kafka broker at " + kafka.bootstrapServers() + " does not allow user 'reader' to read topic "
                + "sluice.node.commands: its operator grants that with an ACL")
                .noneMatch(line -> line.contains("sluice.job.events left out"));
        assertThat(named.awaitExit()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(named.err().lines().toList()).containsExactly("sluice events: the Kafka broker at "
                + kafka.bootstrapServers() + " does not allow user 'reader' to read topic sluice.node.commands: "
                + "its operator grants that with an ACL");
    }

    @Test
    void a_wrong_password_is_refused_in_one_line_that_does_not_repeat_it() {
        SluiceRun watch = SluiceRun.run("watch", "job-secured-1", "--bootstrap-servers", kafka.bootstrapServers(),
                "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanism=SCRAM-SHA-512",
                "-X", "sasl.jaas.config=" + LocalKafka.scramClientProperties("user", "guessed-pw")
                        .get("sasl.jaas.config"));

        assertThat(watch.awaitExit()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(watch.err().lines().toList()).singleElement().asString()
                .startsWith("sluice watch: the Kafka broker at " + kafka.bootstrapServers()
                        + " refused to log in user 'user': ")
                .contains("(credentials from -X sasl.jaas.config=(hidden))")
                .doesNotContain("guessed-pw");
    }

    @Test
    void a_client_without_a_login_is_told_how_to_give_one() {
        SluiceRun logs = SluiceRun.run("logs", "job-secured-1", "--bootstrap-servers", kafka.bootstrapServers(),
                "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanism=SCRAM-SHA-512",
                "-X", "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;");

        assertThat(logs.awaitExit()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(logs.err().lines().toList()).singleElement().asString()
                .contains("refused to log in this client (it gave no SASL login");
    }

    @Test
    void the_user_principal_may_not_drain_a_node_and_is_told_in_one_line() throws IOException {
        Path config = clientConfig("user", PASSWORDS.get(SluicePrincipal.USER));

        SluiceRun drain = SluiceRun.run("admin", "drain", "node-1", "--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-config", config.toString());

        assertThat(drain.awaitExit()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(drain.err().lines().toList()).containsExactly("sluice admin drain: the Kafka broker at "
                + kafka.bootstrapServers() + " does not allow user 'user' to read topic sluice.node.heartbeats: "
                + "its operator grants that with an ACL");
        assertThat(drain.out()).isEmpty();
    }

    @Test
    void the_broker_admin_drains_a_node() throws Exception {
        Properties admin = new Properties();
        kafka.adminClientProperties().forEach((name, value) -> admin.setProperty(name, String.valueOf(value)));
        Path config = directory.resolve("admin.kafka.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            admin.store(out, null);
        }
        Map<String, Object> producerProperties = new HashMap<>(kafka.adminClientProperties());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties,
                new ByteArraySerializer(), new ByteArraySerializer())) {
            NodeHeartbeatEnvelope beat = Envelopes.envelope(Topic.NODE_HEARTBEATS, Envelopes.metadata(UUID.randomUUID(),
                    Instant.now(), "node-1", null, "test"), NodeHeartbeat.newBuilder().setNodeId("node-1")
                    .setHostname("host").setTargets(List.of("linux")).setSlotsTotal(1).setSlotsUsed(0)
                    .setRunningProcesses(0).setWorkers(List.of()).setDraining(false).setIsolation(IsolationMode.RUNC)
                    .setWarnings(List.of()).setVersion("test").setStartedAt(Instant.now()).setIntervalMillis(3000)
                    .build());
            producer.send(new ProducerRecord<>("sluice.node.heartbeats", "node-1".getBytes(StandardCharsets.UTF_8),
                    EventCodec.<NodeHeartbeatEnvelope>forTopic(Topic.NODE_HEARTBEATS).encode(beat))).get();
        }

        SluiceRun drain = SluiceRun.run("admin", "drain", "node-1", "--no-wait", "--kafka-config", config.toString());

        assertThat(drain.awaitExit()).as(drain.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(drain.outLines()).containsExactly(
                "asked node node-1 to drain (its heartbeat says it once its runner applied the order)");
    }

    private Path clientConfig(String user, String password) throws IOException {
        StringBuilder text = new StringBuilder();
        LocalKafka.scramClientProperties(user, password).forEach((key, value) ->
                text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(directory.resolve(user + ".properties"), text);
    }
}
