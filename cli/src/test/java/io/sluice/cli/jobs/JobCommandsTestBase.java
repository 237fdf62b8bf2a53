package io.sluice.cli.jobs;

import java.util.concurrent.atomic.AtomicInteger;

import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.EventHarness;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class of the job commands: its own topics on the shared test broker, and a harness to play the services. */
abstract class JobCommandsTestBase {

    private static final AtomicInteger JOBS = new AtomicInteger();

    static IsolatedScope scope;
    static EventHarness harness;

    @BeforeAll
    static void createTopics() {
        scope = TestInfra.shared().isolate("cli-jobs");
        new TopicCreator(scope.admin(), new TopicNaming(scope.topicPrefix())).createAll();
        harness = new EventHarness(scope);
    }

    @AfterAll
    static void closeBench() {
        harness.close();
        scope.close();
    }

    /** A job id of its own for each test. */
    static String aJobId() {
        return "job-test-" + JOBS.incrementAndGet();
    }

    static JobStory storyOf(String jobId) {
        return new JobStory(harness, jobId);
    }

    static String[] on(String... args) {
        return SluiceRun.on(scope, args);
    }
}
