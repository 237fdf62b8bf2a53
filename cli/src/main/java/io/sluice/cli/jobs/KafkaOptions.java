package io.sluice.cli.jobs;

import io.sluice.schemas.TopicNaming;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the job commands find Sluice's Kafka, with the same settings and environment variables as the services; and
 * the help option every job command has.
 */
public final class KafkaOptions {

    static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    static final String BOOTSTRAP_ENV = "SLUICE_KAFKA_BOOTSTRAP_SERVERS";
    static final String PREFIX_ENV = "SLUICE_TOPIC_PREFIX";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean helpRequested;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "The Kafka brokers (default: $" + BOOTSTRAP_ENV + ", else " + DEFAULT_BOOTSTRAP_SERVERS + ").")
    private String bootstrapServers;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Prefix of Sluice's topic names, as the services were given (default: $" + PREFIX_ENV
                    + ", else none).")
    private String topicPrefix;

    /** Connects lazily: the first request to the broker is where an unreachable broker shows. */
    KafkaConnection connect() {
        String servers = firstGiven(bootstrapServers, System.getenv(BOOTSTRAP_ENV), DEFAULT_BOOTSTRAP_SERVERS);
        String prefix = firstGiven(topicPrefix, System.getenv(PREFIX_ENV), "");
        TopicNaming naming;
        try {
            naming = new TopicNaming(prefix);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--topic-prefix: " + e.getMessage());
        }
        return new KafkaConnection(servers.trim(), naming, command.commandLine());
    }

    private static String firstGiven(String option, String environment, String fallback) {
        if (option != null) {
            return option;
        }
        return environment == null || environment.isBlank() ? fallback : environment;
    }
}
