package io.sluice.cli.jobs;

import io.sluice.schemas.TopicNaming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the job commands find Sluice's Kafka and how they log in to it (any Kafka client property, from a file or the
 * command line, as Kafka's own tools take them), with the same settings and environment variables as the services;
 * and the help option every job command has.
 */
public final class KafkaOptions {

    static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    static final String BOOTSTRAP_ENV = "SLUICE_KAFKA_BOOTSTRAP_SERVERS";
    static final String PREFIX_ENV = "SLUICE_TOPIC_PREFIX";
    static final String CONFIG_ENV = "SLUICE_KAFKA_CONFIG";

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

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties for every connection, as a Java properties file (what Kafka's own "
                    + "tools take with --command-config): security.protocol, sasl.*, ssl.* (default: $" + CONFIG_ENV
                    + "). `sluice dev` writes one.")
    private Path kafkaConfig;

    @Option(names = "-X", paramLabel = "KEY=VALUE",
            description = "A Kafka client property for every connection; repeatable; wins over --kafka-config.")
    private List<String> kafkaProperties = new ArrayList<>();

    /** Connects lazily: the first request to the broker is where an unreachable broker shows. */
    public KafkaConnection connect() {
        KafkaClientConfig config = clientConfig();
        config.warnings().forEach(warning -> command.commandLine().getErr().println(
                command.qualifiedName() + ": warning: " + warning));
        String servers = firstGiven(bootstrapServers, config.bootstrapServers(), System.getenv(BOOTSTRAP_ENV),
                DEFAULT_BOOTSTRAP_SERVERS);
        String prefix = firstGiven(topicPrefix, null, System.getenv(PREFIX_ENV), "");
        TopicNaming naming;
        try {
            naming = new TopicNaming(prefix);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--topic-prefix: " + e.getMessage());
        }
        return new KafkaConnection(servers.trim(), naming, config, command.commandLine());
    }

    private KafkaClientConfig clientConfig() {
        String fromEnvironment = System.getenv(CONFIG_ENV);
        Path file = kafkaConfig;
        String origin = "--kafka-config";
        if (file == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
            file = Path.of(fromEnvironment);
            origin = "$" + CONFIG_ENV;
        }
        try {
            return KafkaClientConfig.read(file, origin, kafkaProperties);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    private static String firstGiven(String option, String fromConfig, String environment, String fallback) {
        if (option != null) {
            return option;
        }
        if (fromConfig != null) {
            return fromConfig;
        }
        return environment == null || environment.isBlank() ? fallback : environment;
    }
}
