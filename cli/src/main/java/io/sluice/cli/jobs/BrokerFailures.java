package io.sluice.cli.jobs;

import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.cli.CliFailure;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Turns what a Kafka client threw into the one line a job command prints: where it looked, and when the broker
 * refused, as whom and what, with the exit code a script can act on.
 */
public final class BrokerFailures {

    /** How the producer says the size it compared with its max.request.size. */
    private static final Pattern SENT_SIZE = Pattern.compile("The message is (\\d+) bytes");

    private final String bootstrapServers;
    private final KafkaClientConfig config;

    BrokerFailures(String bootstrapServers, KafkaClientConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    /** Any failure of a request to the broker: a refusal, no answer, or else what the client said. */
    public CliFailure of(String what, Throwable failure, String wanted, String topic) {
        if (failure instanceof TimeoutException) {
            return unreachable();
        }
        CliFailure refused = refusal(failure, wanted, topic);
        if (refused != null) {
            return refused;
        }
        return new CliFailure(what + " on " + bootstrapServers + ": " + failure.getMessage(), failure,
                JobExitCodes.NO_ANSWER);
    }

    /**
     * The broker refused this client: one line saying as whom, what it refused and what to change, exit
     * {@link JobExitCodes#REFUSED}; null when {@code failure} is no refusal. The refusal may be the cause of what
     * the client threw: a producer that was refused its id fails every later send with an error wrapping that.
     */
    public CliFailure refusal(Throwable failure, String wanted, String topic) {
        Throwable refusal = failure;
        while (refusal != null && !(refusal instanceof AuthenticationException)
                && !(refusal instanceof AuthorizationException)) {
            refusal = refusal.getCause();
        }
        String who = config.saslUser() != null ? "user '" + config.saslUser() + "'"
                : "this client (it gave no SASL login: pass one with --kafka-config FILE or -X sasl.jaas.config=...)";
        if (refusal instanceof AuthenticationException) {
            String credentials = config.placeOf(SaslConfigs.SASL_JAAS_CONFIG);
            return new CliFailure("the Kafka broker at " + bootstrapServers + " refused to log in " + who + ": "
                    + refusal.getMessage() + (credentials == null ? "" : " (credentials from " + credentials + ")"),
                    null, JobExitCodes.REFUSED);
        }
        if (refusal instanceof TopicAuthorizationException topics) {
            String names = topics.unauthorizedTopics().isEmpty() ? "a topic it needs"
                    : "topic " + String.join(", ", new TreeSet<>(topics.unauthorizedTopics()));
            return new CliFailure("the Kafka broker at " + bootstrapServers + " does not allow " + who + " to "
                    + wanted + " " + names + ": its operator grants that with an ACL", null, JobExitCodes.REFUSED);
        }
        if (refusal instanceof ClusterAuthorizationException && topic != null && wanted.equals("write to")) {
            // An idempotent producer first asks for a producer id, which the broker grants to a principal allowed
            // to write to some topic: refused, this one may write to none.
            return new CliFailure("the Kafka broker at " + bootstrapServers + " does not allow " + who + " to "
                    + wanted + " topic " + topic + " (nor any other): its operator grants that with an ACL", null,
                    JobExitCodes.REFUSED);
        }
        if (refusal instanceof AuthorizationException) {
            return new CliFailure("the Kafka broker at " + bootstrapServers + " does not allow " + who + " to "
                    + wanted + ": " + refusal.getMessage(), null, JobExitCodes.REFUSED);
        }
        return null;
    }

    /**
     * Says how large the request was and what takes it at most: this client's limit, or the topic's on the broker
     * ({@code topicLimit} asks it; null when it does not say).
     */
    CliFailure tooLarge(String topic, int bytes, RecordTooLargeException e, Supplier<String> topicLimit) {
        String request = "the job request is " + bytes + " bytes";  // the encoded event, as the broker counts it
        if (e.getMessage() != null && e.getMessage().contains(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)) {
            // The producer compares the record as it would send it, framing included: say that size.
            Matcher sent = SENT_SIZE.matcher(e.getMessage());
            if (sent.find()) {
                request = "the job request is " + sent.group(1) + " bytes";
            }
            Object limit = config.forProducer().getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
            return new CliFailure(request + ", more than this client sends at most, "
                    + limit + " bytes (the producer's " + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + "): make the job "
                    + "smaller (fewer or shorter steps, environment values, arguments)", null,
                    JobExitCodes.REJECTED_OR_USAGE);
        }
        String limit = topicLimit.get();
        return new CliFailure(request + "; the broker at " + bootstrapServers + " refused it as too large for topic "
                + topic + (limit == null ? " (its " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + ")"
                : ", which takes at most " + limit + " bytes (its " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + ")")
                + ": make the job smaller (fewer or shorter steps, environment values, arguments)", null,
                JobExitCodes.REJECTED_OR_USAGE);
    }

    /** No answer within the client's timeout: where the command looked, and the usual reasons. */
    public CliFailure unreachable() {
        return new CliFailure("no answer from the Kafka broker at " + bootstrapServers + " within "
                + KafkaConnection.CLIENT_TIMEOUT.toSeconds() + " s: is Sluice running there (./sluice dev)? Set the "
                + "address with --bootstrap-servers or $" + KafkaOptions.BOOTSTRAP_ENV + "." + (config.placeOf(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) != null ? ""
                : " A broker that asks for a login (sluice dev's does) does not answer a client that gives none: "
                + "pass one with --kafka-config FILE or $" + KafkaOptions.CONFIG_ENV
                + " (sluice dev writes .sluice/dev/user.kafka.properties)."), null, JobExitCodes.NO_ANSWER);
    }
}
