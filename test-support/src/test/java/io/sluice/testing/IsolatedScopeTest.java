package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class IsolatedScopeTest {

    @Test
    void two_scopes_share_the_servers_but_not_topics_or_databases() throws Exception {
        try (IsolatedScope jobs = TestInfra.shared().isolate("jobs");
             IsolatedScope workers = TestInfra.shared().isolate("workers")) {
            assertThat(jobs.bootstrapServers()).isEqualTo(workers.bootstrapServers());
            assertThat(jobs.topicPrefix()).isNotEqualTo(workers.topicPrefix()).matches("t[0-9a-f]+\\.");
            assertThat(jobs.database()).isNotEqualTo(workers.database()).matches("t_[0-9a-f]+");
            assertThat(jobs.topic("sluice.job.events")).isEqualTo(jobs.topicPrefix() + "sluice.job.events");

            execute(jobs.dataSource(), "CREATE TABLE job (id text PRIMARY KEY)");

            assertThat(tables(jobs.dataSource())).contains("job");
            assertThat(tables(workers.dataSource())).doesNotContain("job");
        }
    }

    @Test
    void topics_of_one_scope_carry_its_prefix() throws Exception {
        try (IsolatedScope scope = TestInfra.shared().isolate("topics")) {
            scope.admin().createTopics(Set.of(new NewTopic(scope.topic("sluice.job.events"), 2, (short) 1))).all().get();

            // The broker lists a created topic once its metadata reached it, a moment after the controller's answer.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(scope.admin().listTopics().names().get())
                            .contains(scope.topicPrefix() + "sluice.job.events"));
        }
    }

    @Test
    void client_properties_are_safe_defaults_that_callers_may_change() {
        try (IsolatedScope scope = TestInfra.shared().isolate("properties")) {
            var producer = scope.producerProperties();
            var consumer = scope.consumerProperties("job-service");

            assertThat(producer).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                    .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                    .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scope.bootstrapServers());
            assertThat(consumer).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, scope.topicPrefix() + "job-service")
                    .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                    .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            assertThat(scope.consumerProperties(null)).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
            producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            assertThat(scope.producerProperties()).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0);
        }
    }

    private static void execute(DataSource dataSource, String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static List<String> tables(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
