package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import io.sluice.cli.CliFailure;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The line a job command prints for what a Kafka client threw, including the forms a refusal takes when it reaches
 * the command late (the secured broker itself is in {@link SecuredBrokerTest}).
 */
class BrokerFailuresTest {

    private final BrokerFailures failures = new BrokerFailures("broker:9092", KafkaClientConfig.read(null,
            "--kafka-config", List.of("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=SCRAM-SHA-512",
                    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"reader\" password=\"pw\";")));

    @Test
    void a_producer_refused_its_id_before_the_send_is_a_refusal_to_write() {
        // What send() throws when the refused InitProducerId answer came back before the record was handed over.
        KafkaException late = new KafkaException("Cannot execute transactional method because we are in an error "
                + "state", new ClusterAuthorizationException("Cluster authorization failed."));

        CliFailure failure = failures.of("could not send to sluice.job.requests", late, "write to",
                "sluice.job.requests");

        assertThat(failure.exitCode()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(failure.getMessage()).isEqualTo("the Kafka broker at broker:9092 does not allow user 'reader' to "
                + "write to topic sluice.job.requests (nor any other): its operator grants that with an ACL");
    }

    @Test
    void a_wrapped_topic_refusal_names_the_topics() {
        KafkaException wrapped = new KafkaException("failed", new TopicAuthorizationException(Set.of("b", "a")));

        CliFailure failure = failures.of("could not look up topic a", wrapped, "read", "a");

        assertThat(failure.exitCode()).isEqualTo(JobExitCodes.REFUSED);
        assertThat(failure.getMessage()).isEqualTo("the Kafka broker at broker:9092 does not allow user 'reader' to "
                + "read topic a, b: its operator grants that with an ACL");
    }

    @Test
    void a_timeout_is_no_answer_and_anything_else_says_what_the_client_said() {
        assertThat(failures.of("could not send", new TimeoutException("late"), "write to", "t").exitCode())
                .isEqualTo(JobExitCodes.NO_ANSWER);

        CliFailure other = failures.of("could not send to t", new KafkaException("disk full"), "write to", "t");

        assertThat(other.exitCode()).isEqualTo(JobExitCodes.NO_ANSWER);
        assertThat(other.getMessage()).isEqualTo("could not send to t on broker:9092: disk full");
        assertThat(failures.refusal(new KafkaException("disk full"), "read", null)).isNull();
    }
}
