package io.sluice.runner.edge;

import io.sluice.bus.health.ServiceHealth;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.runc.RuncIsolation;
import io.sluice.schemas.TopicNaming;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A node runner in a JVM of its own, for tests that kill it, with its processes' state in a runtime dir of its own as
 * the service keeps it. Args: bootstrap servers, topic prefix, state dir.
 */
public final class NodeRunnerProcess {

    static final String NODE = "node-restart";

    private NodeRunnerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[2]);
        NodeRunner runner = NodeRunner.start(new NodeRunner.Settings(NODE, List.of("linux"), 2, false, stateDir,
                        Duration.ofMillis(500), 1024 * 1024, Duration.ofDays(7), Duration.ofDays(7), "test"),
                args[0], new TopicNaming(args[1]), new RuncIsolation(stateDir.resolve("isolation"),
                        stateDir.resolve("runtime"), RuncIsolation.DEFAULT_RUNC, RuncIsolation.DEFAULT_TINI,
                        NodeSettings.defaults()),
                new ServiceHealth(), "node-runner/" + ProcessHandle.current().pid(), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("STARTED");
        new CountDownLatch(1).await();
    }
}
