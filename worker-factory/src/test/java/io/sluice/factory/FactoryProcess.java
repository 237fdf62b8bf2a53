package io.sluice.factory;

import io.micronaut.context.ApplicationContext;
import io.sluice.bus.health.CrashPoint;
import io.sluice.bus.health.CrashPoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker factory in a JVM of its own, for tests that kill it: it halts (no shutdown hooks, as kill -9) the N-th
 * time its plumbing reaches the given crash point. Args: bootstrap servers, JDBC url, user, password, topic prefix,
 * then the crash point (or NONE) and N.
 */
public final class FactoryProcess {

    static final int CRASH_EXIT_CODE = 86;

    private FactoryProcess() {
    }

    static List<String> args(FactoryHarness harness, String crashPoint, int onHit) {
        return List.of(harness.scope.bootstrapServers(), harness.scope.jdbcUrl(), harness.scope.username(),
                harness.scope.password(), harness.scope.topicPrefix(), crashPoint, String.valueOf(onHit));
    }

    public static void main(String[] args) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("sluice.kafka.bootstrap-servers", args[0]);
        properties.put("datasources.default.url", args[1]);
        properties.put("datasources.default.username", args[2]);
        properties.put("datasources.default.password", args[3]);
        properties.put("sluice.topic-prefix", args[4]);
        properties.put("sluice.retry-interval", "500ms");
        properties.put("sluice.factory.node-lost-after", "10m");
        CrashPoints crashPoints = args[5].equals("NONE") ? CrashPoints.NONE
                : new HaltAt(CrashPoint.valueOf(args[5]), Integer.parseInt(args[6]));
        ApplicationContext context = ApplicationContext.builder().properties(properties).singletons(crashPoints)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            System.out.println("STOPPED CLEANLY");
        }));
        System.out.println("STARTED");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Halts the JVM the N-th time the plumbing reaches one crash point. */
    private record HaltAt(CrashPoint target, int nth, AtomicInteger hits) implements CrashPoints {

        HaltAt(CrashPoint target, int nth) {
            this(target, nth, new AtomicInteger());
        }

        @Override
        public void reached(CrashPoint point) {
            if (point == target && hits.incrementAndGet() == nth) {
                System.out.println("CRASH at " + point);
                System.out.flush();
                Runtime.getRuntime().halt(CRASH_EXIT_CODE);
            }
        }
    }
}
