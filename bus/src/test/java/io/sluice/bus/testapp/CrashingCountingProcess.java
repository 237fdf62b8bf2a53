package io.sluice.bus.testapp;

import io.sluice.bus.health.CrashPoint;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counting app as its own JVM, for tests that kill it: halts the JVM (no shutdown hooks, no flushing, as a
 * kill -9 would) the N-th time the plumbing reaches the given crash point. Args: the wiring, then the crash point
 * (or NONE) and N.
 */
public final class CrashingCountingProcess {

    public static final int CRASH_EXIT_CODE = 86;

    private CrashingCountingProcess() {
    }

    public static void main(String[] args) throws Exception {
        CountingApp.Wiring wiring = CountingApp.Wiring.fromArgs(Arrays.copyOfRange(args, 0, 6));
        CrashPoints crashPoints = args[6].equals("NONE") ? CrashPoints.NONE
                : crashAt(CrashPoint.valueOf(args[6]), Integer.parseInt(args[7]));
        BusSupervisor supervisor = CountingApp.start(wiring, "child-" + ProcessHandle.current().pid(),
                new ServiceHealth(), crashPoints);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                supervisor.close();
                System.out.println("STOPPED CLEANLY");
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("STARTED");
        new CountDownLatch(1).await();
    }

    private static CrashPoints crashAt(CrashPoint target, int nth) {
        AtomicInteger hits = new AtomicInteger();
        return point -> {
            if (point == target && hits.incrementAndGet() == nth) {
                System.out.println("CRASH at " + point);
                System.out.flush();
                Runtime.getRuntime().halt(CRASH_EXIT_CODE);
            }
        };
    }
}
