package io.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.sluice.bus.micronaut.SluiceConfiguration;
import io.sluice.bus.supervise.BusSettings;
import io.sluice.schemas.TopicNaming;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"job-service\" password=\"s3cr3t-Pa55\";";

    @Test
    void environment_variables_become_kafka_property_names() {
        Map<String, Object> environment = Map.of(
                "SLUICE_SERVICE_NAME", "probe",
                "SLUICE_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "SLUICE_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                "SLUICE_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
                "SLUICE_KAFKA_PROPERTIES_MAX_REQUEST_SIZE", "2097152");
        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(PropertySource.of("test-env", environment,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) {
            assertThat(context.getBean(SluiceConfiguration.class).getKafka().getProperties()).isEqualTo(Map.of(
                    "security.protocol", "SASL_PLAINTEXT",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", JAAS,
                    "max.request.size", "2097152"));
        }
    }

    @Test
    void configuration_file_properties_keep_their_names() {
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("sluice.service-name", "probe",
                        "sluice.kafka.properties.security.protocol", "SASL_PLAINTEXT",
                        "sluice.kafka.properties.sasl.jaas.config", JAAS,
                        "sluice.kafka.create-topics", "false"))
                .start()) {
            SluiceConfiguration.KafkaConfiguration kafka = context.getBean(SluiceConfiguration.class).getKafka();
            assertThat(kafka.getProperties()).isEqualTo(Map.of(
                    "security.protocol", "SASL_PLAINTEXT", "sasl.jaas.config", JAAS));
            assertThat(kafka.isCreateTopics()).isFalse();
        }
    }

    @Test
    void without_properties_the_map_is_empty() {
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("sluice.service-name", "probe")).start()) {
            assertThat(context.getBean(SluiceConfiguration.class).getKafka().getProperties()).isEmpty();
        }
    }

    @Test
    void client_properties_reach_producers_and_consumers_and_override_the_defaults() {
        Map<String, String> secured = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.jaas.config", JAAS,
                "request.timeout.ms", "20000");
        assertThat(KafkaSettings.producer("broker:9092", "p", secured))
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.jaas.config", JAAS)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
        assertThat(KafkaSettings.consumer("broker:9092", "g", "c", secured))
                .containsEntry("sasl.jaas.config", JAAS).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g");
        assertThat(KafkaSettings.admin("broker:9092", "a", Duration.ofSeconds(5), secured))
                .containsEntry("security.protocol", "SASL_PLAINTEXT");
        assertThat(KafkaSettings.assignedConsumer("broker:9092", "c", secured))
                .containsEntry("sasl.jaas.config", JAAS).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    }

    @Test
    void settings_never_print_the_values_of_client_properties() {
        BusSettings settings = new BusSettings("svc", "i", "broker:9092", (short) 1, new TopicNaming(""), null, null,
                null, Duration.ofSeconds(1), Map.of("sasl.jaas.config", JAAS), false);
        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("s3cr3t-Pa55");
    }
}
