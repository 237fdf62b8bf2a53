package io.sluice.bus.kafka;

import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the `sluice.kafka.properties.*` map a service's configuration binds into Kafka's property names: from the
 * environment (`SLUICE_KAFKA_PROPERTIES_SECURITY_PROTOCOL`) Micronaut offers each name both dotted and hyphenated
 * (`security.protocol`, `security-protocol`), and Kafka's names are all dotted.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /** The properties under Kafka's names, one entry per name. */
    public static Map<String, String> fromConfiguration(Map<String, ?> configured) {
        Map<String, String> properties = new TreeMap<>();
        configured.forEach((name, value) -> {
            if (value != null) {
                properties.putIfAbsent(name.replace('-', '.'), value.toString());
            }
        });
        return Map.copyOf(properties);
    }
}
