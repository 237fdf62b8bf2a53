package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class OversizedRequestTest extends JobCommandsTestBase {

    @Test
    void a_request_larger_than_the_client_sends_says_its_size_and_the_limit() {
        SluiceRun submit = SluiceRun.run(on("submit", "--detach", "--job-id", aJobId(), "--step", "a=true",
                "--env", "BIG=" + "x".repeat(3_000), "-X", "max.request.size=2000"));

        assertThat(submit.awaitExit()).isEqualTo(JobExitCodes.REJECTED_OR_USAGE);
        assertThat(submit.err().lines().toList()).singleElement().asString()
                .matches("sluice submit: the job request is \\d{4} bytes, more than this "
                        + "client sends at most, 2000 bytes \\(the producer's max.request.size\\): make the job "
                        + "smaller .*");
    }

    @Test
    void a_request_the_broker_refuses_as_too_large_says_its_size_and_the_topics_limit() throws Exception {
        ConfigResource requests = new ConfigResource(ConfigResource.Type.TOPIC, scope.topic("sluice.job.requests"));
        scope.admin().incrementalAlterConfigs(Map.of(requests, List.of(new AlterConfigOp(
                new ConfigEntry("max.message.bytes", "4000"), AlterConfigOp.OpType.SET)))).all()
                .get(10, TimeUnit.SECONDS);
        // The controller has the change; the broker applies it a moment later, and only then refuses.
        await().atMost(Duration.ofSeconds(30)).until(() -> "4000".equals(scope.admin()
                .describeConfigs(List.of(requests)).all().get(10, TimeUnit.SECONDS).get(requests)
                .get("max.message.bytes").value()));
        try {
            SluiceRun submit = SluiceRun.run(on("submit", "--detach", "--job-id", aJobId(), "--step", "a=true",
                    "--env", "BIG=" + "x".repeat(6_000)));

            assertThat(submit.awaitExit()).isEqualTo(JobExitCodes.REJECTED_OR_USAGE);
            assertThat(submit.err().lines().toList()).singleElement().asString()
                    .matches("sluice submit: the job request is \\d{4} bytes; the broker at \\S+ refused it as too "
                            + "large for topic " + scope.topic("sluice.job.requests").replace(".", "\\.")
                            + ", which takes at most 4000 bytes \\(its max.message.bytes\\): make the job smaller .*");
        } finally {
            scope.admin().incrementalAlterConfigs(Map.of(requests, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)))).all()
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
