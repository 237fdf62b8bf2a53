package io.sluice.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.sluice.cli.Console;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.events.node.IsolationMode;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.EventHarness;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** sluice dev's watch of its node's first heartbeat, on the real broker, the test playing the node runner. */
class NodeVerdictWatchTest {

    private static IsolatedScope scope;
    private static EventHarness harness;

    @BeforeAll
    static void createTopics() {
        scope = TestInfra.shared().isolate("cli-dev-verdict");
        new TopicCreator(scope.admin(), new TopicNaming(scope.topicPrefix())).createAll();
        harness = new EventHarness(scope);
    }

    @AfterAll
    static void closeHarness() {
        harness.close();
        scope.close();
    }

    @Test
    void prints_the_verdict_of_the_first_heartbeat_of_a_runner_started_after_the_launch_and_nothing_else() {
        Instant launchedAt = Instant.now();
        // A runner of an earlier run, still on the compacted topic, and unisolated: not this run's.
        harness.send(Topic.NODE_HEARTBEATS, "node-old", "node-old", IsolationVerdictTest.heartbeat("node-old",
                IsolationMode.NONE, List.of("an earlier run's warning"), launchedAt.minusSeconds(60)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (NodeVerdictWatch ignored = NodeVerdictWatch.start(connection(), launchedAt, Duration.ofSeconds(60),
                console(out))) {
            harness.send(Topic.NODE_HEARTBEATS, "node-new", "node-new", IsolationVerdictTest.heartbeat("node-new",
                    IsolationMode.NONE, List.of("runc not found: install runc"), launchedAt.plusMillis(300)));
            harness.send(Topic.NODE_HEARTBEATS, "node-new", "node-new", IsolationVerdictTest.heartbeat("node-new",
                    IsolationMode.RUNC, List.of(), launchedAt.plusMillis(300)));

            await("the verdict line").atMost(Duration.ofSeconds(30))
                    .until(() -> text(out).contains("node-runner: jobs run"));
        }
        assertThat(text(out).lines().toList()).containsExactly(
                "sluice         | node-runner: jobs run UNISOLATED: runc not found: install runc");
    }

    @Test
    void says_in_one_line_when_no_heartbeat_comes_before_the_deadline() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (NodeVerdictWatch ignored = NodeVerdictWatch.start(connection(), Instant.now().plusSeconds(3600),
                Duration.ofSeconds(2), console(out))) {
            await("the line saying no heartbeat came").atMost(Duration.ofSeconds(30))
                    .until(() -> text(out).contains("no heartbeat"));
        }
        assertThat(text(out).lines().toList()).containsExactly("sluice         | node-runner: no heartbeat within 2 s, "
                + "so sluice dev cannot say whether jobs run isolated (the node's log above says)");
    }

    @Test
    void a_broker_without_the_topic_ends_in_the_same_line_naming_the_problem() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KafkaConnection elsewhere = KafkaConnection.withClientConfig(scope.bootstrapServers(),
                new TopicNaming(scope.topicPrefix() + "absent-"), null, new CommandLine(new DevCommand()));

        try (NodeVerdictWatch ignored = NodeVerdictWatch.start(elsewhere, Instant.now(), Duration.ofSeconds(2),
                console(out))) {
            await("the line saying no heartbeat came").atMost(Duration.ofSeconds(30))
                    .until(() -> text(out).contains("no heartbeat"));
        }
        assertThat(text(out).lines().toList()).singleElement().asString()
                .startsWith("sluice         | node-runner: no heartbeat within 2 s")
                .contains("has no topic " + scope.topicPrefix() + "absent-sluice.node.heartbeats");
    }

    private static KafkaConnection connection() {
        return KafkaConnection.withClientConfig(scope.bootstrapServers(), new TopicNaming(scope.topicPrefix()), null,
                new CommandLine(new DevCommand()));
    }

    private static Console console(ByteArrayOutputStream out) {
        return new Console(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }
}
