package io.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @Test
    void runs_sql_in_a_created_database() throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.startTemporary()) {
            postgres.createDatabase("jobs");
            postgres.createDatabase("jobs");

            try (Connection connection = connect(postgres, "jobs"); Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE job (id text PRIMARY KEY, state text NOT NULL)");
                sql.execute("INSERT INTO job VALUES ('job-1', 'SUBMITTED')");

                assertThat(single(sql, "SELECT state FROM job WHERE id = 'job-1'")).isEqualTo("SUBMITTED");
                assertThat(single(sql, "SHOW server_version")).startsWith("17.");
            }
        }
    }

    @Test
    void a_server_with_a_password_refuses_connections_without_it_also_after_a_restart(@TempDir Path directory)
            throws Exception {
        int port = LocalKafkaTest.freePort();
        // First as the tests run it, trusting local connections; then with a password, as sluice dev runs it.
        try (LocalPostgres trusting = LocalPostgres.builder().dataDirectory(directory).port(port).start()) {
            trusting.createDatabase("jobs");
        }
        for (int run = 0; run < 2; run++) {
            try (LocalPostgres postgres = LocalPostgres.builder().dataDirectory(directory).port(port)
                    .password("s3cret-Pw_1").start()) {
                assertThat(postgres.password()).isEqualTo("s3cret-Pw_1");
                try (Connection connection = connect(postgres, "jobs"); Statement sql = connection.createStatement()) {
                    assertThat(single(sql, "SELECT current_user")).isEqualTo("postgres");
                }
                assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("jobs"), "postgres", "postgres"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
                assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("jobs"), "postgres", ""))
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    @Test
    void a_persistent_server_keeps_its_port_and_data_across_restarts(@TempDir Path directory) throws Exception {
        int port = LocalKafkaTest.freePort();
        try (LocalPostgres postgres = LocalPostgres.builder().dataDirectory(directory).port(port).start()) {
            postgres.createDatabase("jobs");
            try (Connection connection = connect(postgres, "jobs"); Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE job (id text PRIMARY KEY)");
                sql.execute("INSERT INTO job VALUES ('job-1')");
            }
        }

        try (LocalPostgres postgres = LocalPostgres.builder().dataDirectory(directory).port(port).start()) {
            assertThat(postgres.jdbcUrl("jobs")).isEqualTo("jdbc:postgresql://localhost:" + port + "/jobs");
            try (Connection connection = connect(postgres, "jobs"); Statement sql = connection.createStatement()) {
                assertThat(single(sql, "SELECT id FROM job")).isEqualTo("job-1");
            }
        }
    }

    @Test
    void a_server_keeping_its_data_syncs_every_commit_and_a_temporary_one_does_not(@TempDir Path directory)
            throws Exception {
        try (LocalPostgres kept = LocalPostgres.builder().dataDirectory(directory).start();
             Connection connection = connect(kept, "postgres"); Statement sql = connection.createStatement()) {
            assertThat(single(sql, "SHOW fsync")).isEqualTo("on");
            assertThat(single(sql, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(single(sql, "SHOW full_page_writes")).isEqualTo("on");
        }
        try (LocalPostgres temporary = LocalPostgres.startTemporary();
             Connection connection = connect(temporary, "postgres"); Statement sql = connection.createStatement()) {
            assertThat(single(sql, "SHOW fsync")).isEqualTo("off");
        }
    }

    private static Connection connect(LocalPostgres postgres, String database) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password());
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
