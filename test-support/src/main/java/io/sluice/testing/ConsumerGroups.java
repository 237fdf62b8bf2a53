package io.sluice.testing;

import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * A service's consumer groups in a test's scope (its consumer names and the topic each reads): reset them to
 * offset 0, as a user does to replay, and wait until they have read their topics to the end.
 */
public final class ConsumerGroups {

    private final IsolatedScope scope;
    private final TopicNaming naming;
    private final Map<String, Topic> topicByConsumer;

    public ConsumerGroups(IsolatedScope scope, Map<String, Topic> topicByConsumer) {
        this.scope = scope;
        this.naming = new TopicNaming(scope.topicPrefix());
        this.topicByConsumer = Map.copyOf(topicByConsumer);
    }

    /** Sets every group's committed offsets to 0; the groups must have no member (the service is stopped). */
    public void resetToZero() {
        try {
            for (var consumer : topicByConsumer.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
                partitionsOf(consumer.getValue()).forEach(partition -> zero.put(partition, new OffsetAndMetadata(0)));
                scope.admin().alterConsumerGroupOffsets(group(consumer.getKey()), zero).all().get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot reset the offsets of " + topicByConsumer.keySet(), e);
        }
    }

    /** Waits until every group has committed the current end of each partition of its topic. */
    public void awaitConsumedToTheEnd(Duration deadline) {
        Awaitility.await().atMost(deadline).pollInterval(Duration.ofMillis(200)).until(this::consumedToTheEnd);
    }

    private boolean consumedToTheEnd() throws Exception {
        Admin admin = scope.admin();
        for (var consumer : topicByConsumer.entrySet()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitionsOf(consumer.getValue()).forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            var committed = admin.listConsumerGroupOffsets(group(consumer.getKey())).partitionsToOffsetAndMetadata()
                    .get();
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                if (end.getValue().offset() > 0 && (at == null || at.offset() < end.getValue().offset())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The group of a consumer lives in the scope's namespace, as the plumbing names it. */
    private String group(String consumerName) {
        return naming.prefix() + consumerName;
    }

    private List<TopicPartition> partitionsOf(Topic topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(naming.nameOf(topic), p));
        }
        return partitions;
    }
}
