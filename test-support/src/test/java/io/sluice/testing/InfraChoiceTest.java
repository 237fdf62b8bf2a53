package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

class InfraChoiceTest {

    private static final BooleanSupplier DOCKER_MUST_NOT_BE_ASKED = () -> {
        throw new AssertionError("Docker was probed although external servers were configured");
    };

    @Test
    void external_servers_win_when_both_variables_are_set_and_docker_is_not_even_asked() {
        Map<String, String> environment = Map.of(
                "SLUICE_TEST_KAFKA_BOOTSTRAP", "kafka.ci:9092",
                "SLUICE_TEST_JDBC_URL", "jdbc:postgresql://pg.ci:5432/postgres",
                "SLUICE_TEST_JDBC_USER", "ci",
                "SLUICE_TEST_JDBC_PASSWORD", "secret");

        assertThat(InfraChoice.choose(environment, DOCKER_MUST_NOT_BE_ASKED)).isEqualTo(new InfraChoice.ExternalServers(
                "kafka.ci:9092", "jdbc:postgresql://pg.ci:5432/postgres", "ci", "secret"));
    }

    @Test
    void external_credentials_default_to_postgres_with_an_empty_password() {
        Map<String, String> environment = Map.of(
                "SLUICE_TEST_KAFKA_BOOTSTRAP", "kafka.ci:9092",
                "SLUICE_TEST_JDBC_URL", "jdbc:postgresql://pg.ci/postgres");

        assertThat(InfraChoice.choose(environment, DOCKER_MUST_NOT_BE_ASKED)).isEqualTo(new InfraChoice.ExternalServers(
                "kafka.ci:9092", "jdbc:postgresql://pg.ci/postgres", "postgres", ""));
    }

    @Test
    void containers_when_nothing_is_configured_and_docker_answers() {
        assertThat(InfraChoice.choose(Map.of(), () -> true)).isEqualTo(new InfraChoice.Containers());
    }

    @Test
    void local_servers_when_nothing_is_configured_and_there_is_no_docker() {
        assertThat(InfraChoice.choose(Map.of(), () -> false)).isEqualTo(new InfraChoice.LocalServers());
    }

    @Test
    void blank_variables_count_as_unset() {
        Map<String, String> environment = Map.of("SLUICE_TEST_KAFKA_BOOTSTRAP", " ", "SLUICE_TEST_JDBC_URL", "");

        assertThat(InfraChoice.choose(environment, () -> false)).isEqualTo(new InfraChoice.LocalServers());
    }

    @Test
    void half_a_configuration_is_refused_by_name() {
        assertThatThrownBy(() -> InfraChoice.choose(Map.of("SLUICE_TEST_KAFKA_BOOTSTRAP", "kafka.ci:9092"), () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only SLUICE_TEST_KAFKA_BOOTSTRAP is set");
        assertThatThrownBy(() -> InfraChoice.choose(Map.of("SLUICE_TEST_JDBC_URL", "jdbc:postgresql://pg/x"), () -> true))
                .hasMessageContaining("only SLUICE_TEST_JDBC_URL is set");
    }
}
