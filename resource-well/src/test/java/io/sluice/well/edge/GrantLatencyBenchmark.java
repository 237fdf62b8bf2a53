package io.sluice.well.edge;

import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.events.GrantedResource;
import io.sluice.events.resource.ResourceEventEnvelope;
import io.sluice.events.resource.ResourceGranted;
import io.sluice.events.resource.ResourceReleased;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.Percentiles;
import io.sluice.testing.TestInfra;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ReleaseRequest;
import io.sluice.well.store.provision.postgres.PostgresDatabaseProvisioner;
import io.sluice.well.store.provision.postgres.PostgresDatabaseSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures how long a resource takes from its demand's publication to its grant arriving, at idle, one demand at a
 * time, for a {@code semaphore} and a {@code postgres-database} type, against the test broker and database and a well
 * in this JVM. Beside them, in the same run, what they are made of: a record's trip through the broker (produced,
 * then seen by a consumer, as the demand and the grant each make it) and the postgres provisioner's work alone. Not
 * a test: run it as docs/benchmarks.md says. Argument (or SLUICE_BENCH_ITERATIONS): grants per type, 100 by default.
 */
public final class GrantLatencyBenchmark {

    private static final EventCodec<ResourceEventEnvelope> CODEC = EventCodec.forTopic(Topic.RESOURCE_EVENTS);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private GrantLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_ITERATIONS", "100"));
        int warmup = Math.max(10, iterations / 5);
        IsolatedScope scope = TestInfra.shared().isolate("grant-latency");
        URI server = URI.create(scope.jdbcUrl().substring("jdbc:".length()));
        PostgresDatabaseSettings database = new PostgresDatabaseSettings(scope.jdbcUrl(), scope.username(),
                scope.password(), server.getHost(), server.getPort(), "bench_db_");
        Map<String, Object> types = new HashMap<>(Map.of(
                "sluice.secrets.keys.k1", SecretKeyRing.generateKey(),
                "sluice.secrets.current-key", "k1",
                "sluice.well.types.bench-slot.provisioner", "semaphore",
                "sluice.well.types.bench-db.provisioner", "postgres-database",
                "sluice.well.types.bench-db.settings.admin-jdbc-url", database.adminJdbcUrl(),
                "sluice.well.types.bench-db.settings.admin-user", database.adminUser(),
                "sluice.well.types.bench-db.settings.admin-password", database.adminPassword(),
                "sluice.well.types.bench-db.settings.job-host", database.jobHost(),
                "sluice.well.types.bench-db.settings.job-port", String.valueOf(database.jobPort()),
                "sluice.well.types.bench-db.settings.name-prefix", "bench_db_"));
        BlockingQueue<Object> arrivals = new ArrayBlockingQueue<>(16);
        AtomicBoolean watching = new AtomicBoolean(true);
        try (WellHarness well = new WellHarness(scope, types)) {
            CountDownLatch positioned = new CountDownLatch(1);
            Thread watcher = Thread.ofPlatform().daemon().start(() -> watch(well, arrivals, watching, positioned));
            positioned.await();
            System.out.printf("%d grants per type after %d to warm up, one at a time, at idle%n", iterations, warmup);
            Percentiles.header("demand sent → grant seen (ms)");
            for (String type : List.of("bench-slot", "bench-db")) {
                measure(well, type, warmup, arrivals, "warm-up");
                Percentiles.print(type + " (" + (type.equals("bench-slot") ? "semaphore" : "postgres-database")
                        + ")", measure(well, type, iterations, arrivals, "bench"));
            }
            Percentiles.header("baselines in the same run (ms)");
            Percentiles.print("broker round trip (demand or grant alone)", brokerRoundTrips(well, iterations,
                    arrivals));
            Percentiles.print("postgres-database provisioner alone (provision)", provisionerAlone(database,
                    iterations));
            watching.set(false);
            watcher.join();
        } finally {
            scope.close();
        }
    }

    private static long[] measure(WellHarness well, String type, int count, BlockingQueue<Object> arrivals,
                                  String round) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            String job = round + "-" + type + "-" + i;
            long sent = System.nanoTime();
            well.jobDemands(job, type);
            GrantedResource granted = ((ResourceGranted) next(arrivals, ResourceGranted.class)).getResource();
            nanos[i] = System.nanoTime() - sent;
            well.jobReleases(job, granted);
            next(arrivals, ResourceReleased.class);
        }
        return nanos;
    }

    /** Records sent to the grant topic by this JVM and seen by the same watcher that sees the grants. */
    private static long[] brokerRoundTrips(WellHarness well, int count, BlockingQueue<Object> arrivals)
            throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            well.events.send(Topic.RESOURCE_EVENTS, "round-trip-" + i, "round-trip-" + i, ResourceReleased
                    .newBuilder().setJobId("round-trip-" + i).setResourceType("none").setResourceId("none").build());
            next(arrivals, ResourceReleased.class);
            nanos[i] = System.nanoTime() - sent;
        }
        return nanos;
    }

    private static long[] provisionerAlone(PostgresDatabaseSettings settings, int count) throws Exception {
        PostgresDatabaseProvisioner provisioner = new PostgresDatabaseProvisioner(settings);
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            String id = "alone-" + i;
            long started = System.nanoTime();
            provisioner.provision(new ProvisionRequest(id, "bench-db", id, "bench", Map.of(), 0,
                    Instant.now().plusSeconds(3600)));
            nanos[i] = System.nanoTime() - started;
            provisioner.release(new ReleaseRequest(id, "bench-db", Map.of()));
        }
        return nanos;
    }

    private static Object next(BlockingQueue<Object> arrivals, Class<?> type) throws InterruptedException {
        Object arrived = arrivals.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (!type.isInstance(arrived)) {
            throw new IllegalStateException("expected a " + type.getSimpleName() + ", got " + arrived);
        }
        return arrived;
    }

    private static void watch(WellHarness well, BlockingQueue<Object> arrivals, AtomicBoolean watching,
                              CountDownLatch positioned) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(well.scope.consumerProperties(null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = well.events.topicName(Topic.RESOURCE_EVENTS);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (watching.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                    Object payload = CODEC.decode(record.value()).getPayload();
                    if (payload instanceof ResourceGranted || payload instanceof ResourceReleased) {
                        arrivals.add(payload);
                    }
                }
            }
        }
    }
}
