package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void replaces_the_database_and_keeps_hosts_and_parameters() {
        assertThat(server("jdbc:postgresql://localhost:5432/postgres").jdbcUrl("t_1"))
                .isEqualTo("jdbc:postgresql://localhost:5432/t_1");
        assertThat(server("jdbc:postgresql://localhost:32768/test?loggerLevel=OFF").jdbcUrl("t_1"))
                .isEqualTo("jdbc:postgresql://localhost:32768/t_1?loggerLevel=OFF");
        assertThat(server("jdbc:postgresql://a:1,b:2/app?targetServerType=primary").jdbcUrl("t_1"))
                .isEqualTo("jdbc:postgresql://a:1,b:2/t_1?targetServerType=primary");
    }

    @Test
    void adds_a_database_to_a_url_without_one() {
        assertThat(server("jdbc:postgresql://[::1]:5432").jdbcUrl("t_1")).isEqualTo("jdbc:postgresql://[::1]:5432/t_1");
        assertThat(server("jdbc:postgresql://db?ssl=true").jdbcUrl("t_1")).isEqualTo("jdbc:postgresql://db/t_1?ssl=true");
    }

    @Test
    void refuses_other_databases() {
        assertThatThrownBy(() -> server("jdbc:mysql://localhost/x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static PostgresServer server(String url) {
        return new PostgresServer(url, "postgres", "");
    }
}
