package io.sluice.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the catalogue's topics with their partitions and configs; topics that already exist are left as they are. */
public final class TopicCreator {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final TopicNaming naming;
    private final short replicationFactor;
    private final Duration timeout;

    public TopicCreator(Admin admin, TopicNaming naming, short replicationFactor, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.naming = Objects.requireNonNull(naming, "naming");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, not " + replicationFactor);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /** For a single broker: replication factor 1, {@link #DEFAULT_TIMEOUT}. */
    public TopicCreator(Admin admin, TopicNaming naming) {
        this(admin, naming, (short) 1, DEFAULT_TIMEOUT);
    }

    /** Creates every topic of the catalogue and waits until each partition has a leader; returns those that did not exist before. */
    public Set<Topic> createAll() {
        return create(Arrays.asList(Topic.values()));
    }

    /**
     * Creates the given topics and waits until each partition has a leader; returns those that did not exist before.
     *
     * @throws TopicCreationException naming each topic that could not be created within the timeout, and why
     */
    public Set<Topic> create(Collection<Topic> topics) {
        if (topics.isEmpty()) {
            return EnumSet.noneOf(Topic.class);
        }
        Map<Topic, NewTopic> requests = new LinkedHashMap<>();
        EnumSet.copyOf(topics).forEach(topic -> requests.put(topic, newTopic(topic)));
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, KafkaFuture<Void>> results = admin
                .createTopics(requests.values(), new CreateTopicsOptions().timeoutMs((int) timeout.toMillis()))
                .values();

        Set<Topic> created = EnumSet.noneOf(Topic.class);
        List<String> failures = new ArrayList<>();
        Throwable firstCause = null;
        for (Topic topic : requests.keySet()) {
            String name = naming.nameOf(topic);
            try {
                results.get(name).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                created.add(topic);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    continue;
                }
                failures.add(name + " (" + e.getCause() + ")");
                firstCause = firstCause == null ? e.getCause() : firstCause;
            } catch (TimeoutException e) {
                failures.add(name + " (no answer within " + timeout + ")");
                firstCause = firstCause == null ? e : firstCause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicCreationException("interrupted while creating topic " + name, e);
            }
        }
        if (!failures.isEmpty()) {
            throw new TopicCreationException("could not create topic(s) " + String.join(", ", failures), firstCause);
        }
        TopicLeaders.await(admin, requests.values().stream().map(NewTopic::name).toList(), deadline, timeout);
        return created;
    }

    /** The creation request of a topic: its name under the naming, partitions, replication factor and configs. */
    public NewTopic newTopic(Topic topic) {
        return new NewTopic(naming.nameOf(topic), topic.partitions(), replicationFactor).configs(topic.configs());
    }
}
