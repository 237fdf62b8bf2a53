package io.sluice.runner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Container ids and hostnames made of job and process names. */
class ContainerIdsTest {

    @Test
    void container_ids_are_stable_safe_and_distinct() {
        String id = ContainerIds.containerId(new ProcessKey("worker/1", "web"));
        assertThat(id).matches("[\\w+.-]+").isEqualTo(ContainerIds.containerId(new ProcessKey("worker/1", "web")));
        assertThat(ContainerIds.containerId(new ProcessKey("worker_1", "web"))).isNotEqualTo(id);
        assertThat(ContainerIds.hostname("job_1.a")).isEqualTo("job-1-a");
        assertThat(ContainerIds.hostname("x".repeat(100))).hasSize(63);
    }
}
