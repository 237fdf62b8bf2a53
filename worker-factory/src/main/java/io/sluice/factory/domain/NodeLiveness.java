package io.sluice.factory.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** When a node counts as heard of, and when its silence makes it lost. */
public final class NodeLiveness {

    private NodeLiveness() {
    }

    /**
     * When a heartbeat says the node was alive: when it was sent, but never later than when it arrived (a node whose
     * clock runs ahead does not live longer). A heartbeat read again after a restart of the factory is as old as it
     * was, so it does not bring a dead node back.
     */
    public static Instant heardAt(Instant sentAt, Instant receivedAt) {
        return sentAt.isBefore(receivedAt) ? sentAt : receivedAt;
    }

    /** True when a node last heard of at {@code lastHeardAt} has been silent for longer than {@code lostAfter}. */
    public static boolean isSilent(Instant lastHeardAt, Instant now, Duration lostAfter) {
        return Duration.between(lastHeardAt, now).compareTo(lostAfter) > 0;
    }

    /** The reason a job reads when its worker is lost with its node, naming the node and its silence. */
    public static String lostReason(String nodeId, Instant lastHeardAt, Instant now, Duration lostAfter) {
        Duration silence = Duration.between(lastHeardAt, now);
        return "node-lost: node " + nodeId + " sent no heartbeat for " + seconds(silence) + " (since " + lastHeardAt
                + "; limit " + seconds(lostAfter) + ")";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
