package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TestInfraTest {

    @Test
    void starts_the_servers_once_per_jvm() {
        TestInfra first = TestInfra.shared();
        TestInfra second = TestInfra.shared();

        assertThat(second).isSameAs(first);
        assertThat(second.bootstrapServers()).isEqualTo(first.bootstrapServers()).isNotBlank();
    }

    @Test
    void external_servers_are_used_as_given() throws Exception {
        SharedServers running = TestInfra.shared().servers();
        String urlWithParameter = running.postgres().adminJdbcUrl() + "?ApplicationName=external-check";
        TestInfra external = TestInfra.start(new InfraChoice.ExternalServers(running.bootstrapServers(),
                urlWithParameter, running.postgres().username(), running.postgres().password()));

        try (IsolatedScope scope = external.isolate("external")) {
            assertThat(external.bootstrapServers()).isEqualTo(running.bootstrapServers());
            assertThat(scope.jdbcUrl()).endsWith("/" + scope.database() + "?ApplicationName=external-check");
            scope.admin().createTopics(Set.of(new NewTopic(scope.topic("sluice.check"), 1, (short) 1))).all().get();
            try (Connection connection = scope.dataSource().getConnection();
                 Statement sql = connection.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT current_database(), current_setting('application_name')")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(scope.database());
                assertThat(rows.getString(2)).isEqualTo("external-check");
            }
        }
    }
}
