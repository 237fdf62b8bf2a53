package io.sluice.cli.jobs;

import java.util.concurrent.atomic.AtomicInteger;

import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.EventBench;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class of the job commands: its own topics on the shared test broker, and a bench to play the services. */
abstract class JobCommandsTestBase {

    private static final AtomicInteger JOBS = new AtomicInteger();

    static IsolatedScope scope;
    static EventBench bench;

    @BeforeAll
    static void createTopics() {
        scope = TestInfra.shared().isolate("cli-jobs");
        new TopicCreator(scope.admin(), new TopicNaming(scope.topicPrefix())).createAll();
        bench = new EventBench(scope);
    }

    @AfterAll
    static void closeBench() {
        bench.close();
        scope.close();
    }

    /** A job id of its own for each test. */
    static String aJobId() {
        return "job-test-" + JOBS.incrementAndGet();
    }

    static JobStory storyOf(String jobId) {
        return new JobStory(bench, jobId);
    }

    static String[] on(String... args) {
        return SluiceRun.on(scope, args);
    }
}
