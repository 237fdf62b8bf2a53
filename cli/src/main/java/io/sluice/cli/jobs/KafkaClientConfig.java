package io.sluice.cli.jobs;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The Kafka client properties a user gives the job commands, as Kafka's own tools take them: a Java properties file
 * ({@code --kafka-config}, or {@code $SLUICE_KAFKA_CONFIG}) and {@code -X key=value} arguments, later ones winning.
 * Each is checked against the producer's and consumer's definitions, so that a wrong value is named with its file and
 * line or its argument; a password's value is never repeated.
 */
final class KafkaClientConfig {

    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One property and where it was given ("--kafka-config client.properties line 3", "-X acks=all"). */
    record Setting(String name, String value, String place) {
    }

    private final Map<String, Setting> settings;
    private final List<String> warnings;

    private KafkaClientConfig(Map<String, Setting> settings, List<String> warnings) {
        this.settings = settings;
        this.warnings = warnings;
    }

    static KafkaClientConfig none() {
        return new KafkaClientConfig(Map.of(), List.of());
    }

    /**
     * Reads {@code file} (null for none; {@code fileOrigin} says how it was given) and then {@code arguments}.
     *
     * @throws IllegalArgumentException naming the file and line, or the argument, of what is wrong
     */
    static KafkaClientConfig read(Path file, String fileOrigin, List<String> arguments) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        if (file != null) {
            readFile(file, fileOrigin).forEach(setting -> settings.put(setting.name(), check(setting, warnings)));
        }
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("-X '" + argument + "': expected KEY=VALUE, a Kafka client property "
                        + "such as -X security.protocol=SASL_PLAINTEXT");
            }
            String name = argument.substring(0, equals).strip();
            String value = argument.substring(equals + 1);
            String place = "-X " + name + "=" + (isPassword(name) ? "(hidden)" : value);
            settings.put(name, check(new Setting(name, value, place), warnings));
        }
        return new KafkaClientConfig(settings, warnings);
    }

    private static List<Setting> readFile(Path file, String fileOrigin) {
        String origin = fileOrigin + " " + file;
        List<String> lines;
        Properties properties = new Properties();
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(origin + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(origin + ": cannot be read as a properties file: " + e.getMessage());
        }
        List<Setting> settings = new ArrayList<>();
        for (String name : properties.stringPropertyNames()) {
            settings.add(new Setting(name, properties.getProperty(name), origin + " line " + lineOf(lines, name)));
        }
        settings.sort(Comparator.comparing(Setting::place));
        return settings;
    }

    /** The line a property starts on (the last one, as the last one wins); "?" for a name written with escapes. */
    private static String lineOf(List<String> lines, String name) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith(name) && (line.length() == name.length()
                    || "=: \t".indexOf(line.charAt(name.length())) >= 0)) {
                return String.valueOf(i + 1);
            }
        }
        return "?";
    }

    private static Setting check(Setting setting, List<String> warnings) {
        ConfigDef.ConfigKey key = PRODUCER.configKeys().getOrDefault(setting.name(),
                CONSUMER.configKeys().get(setting.name()));
        if (key == null) {
            warnings.add(setting.place() + ": not a property of Kafka's producer or consumer; passed on as given");
            return setting;
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return setting;
        }
        try {
            Object parsed = ConfigDef.parseType(key.name, setting.value(), key.type);
            if (key.validator != null) {
                key.validator.ensureValid(key.name, parsed);
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException(setting.place() + ": " + e.getMessage());
        }
        return setting;
    }

    private static boolean isPassword(String name) {
        ConfigDef.ConfigKey key = PRODUCER.configKeys().getOrDefault(name, CONSUMER.configKeys().get(name));
        return key != null ? key.type == ConfigDef.Type.PASSWORD
                : name.contains("password") || name.contains("jaas") || name.contains("secret");
    }

    /** What the user gave, for the producer: its own properties and those neither client knows. */
    Map<String, Object> forProducer() {
        return forClient(PRODUCER, CONSUMER);
    }

    /** What the user gave, for the consumer: its own properties and those neither client knows. */
    Map<String, Object> forConsumer() {
        return forClient(CONSUMER, PRODUCER);
    }

    // A property only the other client knows would make this one log "supplied but not used".
    private Map<String, Object> forClient(ConfigDef own, ConfigDef other) {
        Map<String, Object> properties = new LinkedHashMap<>();
        settings.values().forEach(setting -> {
            if (own.configKeys().containsKey(setting.name()) || !other.configKeys().containsKey(setting.name())) {
                properties.put(setting.name(), setting.value());
            }
        });
        return properties;
    }

    /** The bootstrap servers the user's properties give, or null. */
    String bootstrapServers() {
        Setting setting = settings.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        return setting == null ? null : setting.value();
    }

    /** Where a property was given, or null when it was not. */
    String placeOf(String name) {
        Setting setting = settings.get(name);
        return setting == null ? null : setting.place();
    }

    /** The SASL user the properties log in as (from {@code sasl.jaas.config}), or null. */
    String saslUser() {
        Setting jaas = settings.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null) {
            return null;
        }
        Matcher user = JAAS_USER.matcher(jaas.value());
        return user.find() ? user.group(1) : null;
    }

    /** Properties passed on although neither client knows them: worth a line, not a failure. */
    List<String> warnings() {
        return warnings;
    }
}
