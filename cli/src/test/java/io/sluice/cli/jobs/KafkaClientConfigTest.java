package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"alice\" password=\"pa55-w0rd\";";

    @TempDir
    Path directory;

    @Test
    void a_properties_file_and_x_arguments_reach_both_clients_the_arguments_winning() throws IOException {
        Path file = write("client.properties", "# sluice dev\n", "security.protocol=SASL_PLAINTEXT\n",
                "sasl.mechanism=PLAIN\n", "sasl.jaas.config=" + JAAS.replace("\\", "\\\\") + "\n");

        KafkaClientConfig config = KafkaClientConfig.read(file, "--kafka-config",
                List.of("sasl.mechanism=SCRAM-SHA-512", "max.request.size=2000000", "fetch.max.bytes=1000000"));

        assertThat(config.forProducer()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("max.request.size", "2000000").doesNotContainKey("fetch.max.bytes");
        assertThat(config.forConsumer()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("fetch.max.bytes", "1000000").doesNotContainKey("max.request.size");
        assertThat(config.saslUser()).isEqualTo("alice");
        assertThat(config.placeOf("security.protocol")).isEqualTo("--kafka-config " + file + " line 2");
        assertThat(config.placeOf("sasl.mechanism")).isEqualTo("-X sasl.mechanism=SCRAM-SHA-512");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void a_bad_value_in_the_file_is_named_with_its_file_and_line() throws IOException {
        Path file = write("bad.properties", "security.protocol=SASL_PLAINTEXT\n", "\n", "request.timeout.ms = soon\n");

        assertThatThrownBy(() -> KafkaClientConfig.read(file, "$SLUICE_KAFKA_CONFIG", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("$SLUICE_KAFKA_CONFIG " + file + " line 3: ")
                .hasMessageContaining("soon").hasMessageContaining("request.timeout.ms");
    }

    @Test
    void a_bad_x_argument_is_named_as_given() {
        assertThatThrownBy(() -> KafkaClientConfig.read(null, "--kafka-config", List.of("acks=maybe")))
                .hasMessageStartingWith("-X acks=maybe: ").hasMessageContaining("maybe");
        assertThatThrownBy(() -> KafkaClientConfig.read(null, "--kafka-config", List.of("security.protocol")))
                .hasMessage("-X 'security.protocol': expected KEY=VALUE, a Kafka client property such as "
                        + "-X security.protocol=SASL_PLAINTEXT");
        assertThatThrownBy(() -> KafkaClientConfig.read(null, "--kafka-config", List.of("security.protocol=TLS")))
                .hasMessageStartingWith("-X security.protocol=TLS: ");
    }

    @Test
    void a_missing_file_is_named() {
        Path missing = directory.resolve("nowhere.properties");
        assertThatThrownBy(() -> KafkaClientConfig.read(missing, "--kafka-config", List.of()))
                .hasMessage("--kafka-config " + missing + ": no such file");
    }

    @Test
    void an_unknown_property_passes_with_a_warning_and_a_password_is_never_repeated() {
        KafkaClientConfig config = KafkaClientConfig.read(null, "--kafka-config",
                List.of("sasl.mechansim=PLAIN", "ssl.key.password=t0p-s3cret"));

        assertThat(config.warnings()).containsExactly("-X sasl.mechansim=PLAIN: not a property of Kafka's producer "
                + "or consumer; passed on as given");
        assertThat(config.placeOf("ssl.key.password")).isEqualTo("-X ssl.key.password=(hidden)");
        assertThat(config.forProducer()).containsEntry("ssl.key.password", "t0p-s3cret");
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(directory.resolve(name), String.join("", lines));
    }
}
