package io.sluice.e2e;

import io.sluice.testing.IsolatedScope;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The work a phase asked of the broker (requests by kind, records appended) and of PostgreSQL (commits, rows written
 * and how many updates were HOT, i.e. wrote no index entry): counts that move with the machine's spell only as far as
 * a busier system batches more, so a change that saves work shows in them when the CPU figures are lost in noise.
 *
 * @param requestsByKind the broker's requests by API (Produce, Fetch...); empty when the broker runs elsewhere
 * @param hotUpdates     updates that kept the row on its page and touched no index (PostgreSQL's heap-only tuples)
 */
record WorkCounts(Map<String, Long> requestsByKind, long records, long commits, long inserts, long updates,
                  long hotUpdates, long deletes) {

    /** A kind of request other than produce and fetch is named when a job asks for at least this many. */
    private static final double NAMED_PER_JOB = 0.5;
    /** The broker also meters its fetches split by who asked: counted once, as Fetch. */
    private static final Set<String> PARTS_OF_FETCH = Set.of("FetchConsumer", "FetchFollower");

    /**
     * The broker's counts (when it runs in this JVM: its request meters are in the platform's MBean server, the KRaft
     * controller's own requests among them) and the scope's database's, as the server's statistics have them (a
     * backend reports its counts at least once a second while busy, so a phase's edges blur by about that).
     */
    static WorkCounts now(IsolatedScope scope) {
        try (Connection connection = scope.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname "
                     + "= current_database()), coalesce(sum(n_tup_ins), 0), coalesce(sum(n_tup_upd), 0), "
                     + "coalesce(sum(n_tup_hot_upd), 0), coalesce(sum(n_tup_del), 0) FROM pg_stat_user_tables")) {
            row.next();
            Map<String, Long> requests = brokerRequests();
            return new WorkCounts(requests, requests.isEmpty() ? 0 : brokerRecords(), row.getLong(1), row.getLong(2),
                    row.getLong(3), row.getLong(4), row.getLong(5));
        } catch (SQLException | JMException e) {
            throw new IllegalStateException("cannot read the broker's or PostgreSQL's counts", e);
        }
    }

    /** The counts per job since {@code before}, as a line to print. */
    String perJobSince(WorkCounts before, int jobs) {
        long updated = updates - before.updates;
        return String.format("work per job: Kafka %s; PostgreSQL %.1f commits, rows %.1f inserted, %.1f updated "
                        + "(%.0f %% HOT), %.1f deleted", kafkaPerJob(before, jobs), per(commits - before.commits, jobs),
                per(inserts - before.inserts, jobs), per(updated, jobs),
                updated == 0 ? 0 : 100.0 * (hotUpdates - before.hotUpdates) / updated,
                per(deletes - before.deletes, jobs));
    }

    private String kafkaPerJob(WorkCounts before, int jobs) {
        if (requestsByKind.isEmpty()) {
            return "the broker runs outside this JVM, uncounted";
        }
        Map<String, Long> since = new TreeMap<>();
        requestsByKind.forEach((kind, count) -> since.put(kind, count - before.requestsByKind.getOrDefault(kind, 0L)));
        StringJoiner line = new StringJoiner(", ");
        line.add(String.format("%.1f produce requests (%.1f records)", per(since.getOrDefault("Produce", 0L), jobs),
                per(records - before.records, jobs)));
        line.add(String.format("%.1f fetch requests", per(since.getOrDefault("Fetch", 0L), jobs)));
        long others = 0;
        for (Map.Entry<String, Long> kind : since.entrySet().stream()
                .filter(kind -> !kind.getKey().equals("Produce") && !kind.getKey().equals("Fetch"))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).toList()) {
            if (per(kind.getValue(), jobs) >= NAMED_PER_JOB) {
                line.add(String.format("%.1f %s", per(kind.getValue(), jobs), kind.getKey()));
            } else {
                others += kind.getValue();
            }
        }
        return line.add(String.format("%.1f other requests", per(others, jobs))).toString();
    }

    private static double per(long count, int jobs) {
        return (double) count / jobs;
    }

    /** The requests the broker received, by API over all its versions; empty when no broker runs in this JVM. */
    private static Map<String, Long> brokerRequests() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> meters = server.queryNames(
                new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null);
        Map<String, Long> counts = new TreeMap<>();
        for (ObjectName meter : meters) {
            String kind = meter.getKeyProperty("request");
            if (!PARTS_OF_FETCH.contains(kind)) {
                counts.merge(kind, (Long) server.getAttribute(meter, "Count"), Long::sum);
            }
        }
        return counts;
    }

    private static long brokerRecords() throws JMException {
        return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"), "Count");
    }
}
