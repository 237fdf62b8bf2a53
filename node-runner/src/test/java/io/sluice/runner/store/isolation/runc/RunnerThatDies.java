package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.TestJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** A runner in its own JVM for {@link RuncRestartTest}: launches two processes, then waits to be killed -9. */
public final class RunnerThatDies {

    private RunnerThatDies() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        NodeSettings settings = NodeSettings.defaults().withCgroupParent(args[1]);
        RuncIsolation isolation = new RuncIsolation(root.resolve("state"), RuncIsolation.DEFAULT_RUNC,
                RuncIsolation.DEFAULT_TINI, settings);
        TestJob job = TestJob.in(root, "job-restart");
        isolation.launch(job.process("long", "/bin/sh", "-c",
                "i=0; while :; do echo \"tick $i\"; i=$((i+1)); sleep 0.05; done").grace(Duration.ofSeconds(5))
                .build(), OutputListener.DISCARD);
        isolation.launch(job.process("short", "/bin/sh", "-c",
                "while [ ! -e /sluice/data/go ]; do sleep 0.02; done; echo bye; exit 7").build(),
                OutputListener.DISCARD);
        System.out.println("launched");
        System.out.flush();
        new CountDownLatch(1).await(); // until the test kills this JVM
    }
}
