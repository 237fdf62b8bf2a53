package io.sluice.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Waits until a broker knows freshly created topics and each of their partitions has a leader: a topic whose
 * creation the controller confirmed can be unknown to a broker for a moment, and a client that looks at its
 * partitions right away (a node runner assigning itself one) would find none.
 */
final class TopicLeaders {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private TopicLeaders() {
    }

    /** Returns once every topic has a leader for every partition; throws past the deadline (a System.nanoTime()). */
    static void await(Admin admin, List<String> names, long deadlineNanos, Duration timeout) {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (descriptions.values().stream().allMatch(TopicLeaders::everyPartitionHasALeader)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new TopicCreationException("could not describe topic(s) " + names + ": " + e.getCause(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw notReady(names, timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicCreationException("interrupted while waiting for topic(s) " + names, e);
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw notReady(names, timeout, null);
            }
            pause(names);
        }
    }

    private static boolean everyPartitionHasALeader(TopicDescription description) {
        return description.partitions().stream()
                .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
    }

    private static TopicCreationException notReady(List<String> names, Duration timeout, Throwable cause) {
        return new TopicCreationException("topic(s) " + names + " were created but some partition had no leader within "
                + timeout, cause);
    }

    private static void pause(List<String> names) {
        try {
            Thread.sleep(POLL_INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("interrupted while waiting for topic(s) " + names, e);
        }
    }
}
