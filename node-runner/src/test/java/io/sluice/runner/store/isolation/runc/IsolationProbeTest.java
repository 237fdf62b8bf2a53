package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.runner.domain.IsolationFacts;
import io.sluice.runner.store.isolation.process.HostUser;
import io.sluice.runner.store.isolation.process.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The probe of isolation auto on this host: root, runc and tini installed, cgroup v1 hybrid: isolated. */
class IsolationProbeTest {

    @Test
    void this_host_offers_runc_isolation() {
        assumeTrue(HostUser.euid() == 0 && Files.isExecutable(RuncIsolation.DEFAULT_RUNC),
                "needs root and runc, as CI has");
        IsolationFacts facts = RuncIsolation.probe(RuncIsolation.DEFAULT_RUNC, RuncIsolation.DEFAULT_TINI,
                NodeSettings.defaults().cgroupParent());

        assertThat(facts.verdict().isolated()).as(facts.verdict().missing().toString()).isTrue();
        assertThat(facts.euid()).isZero();
        assertThat(facts.cgroupProblem()).isNull();
        assertThat(JobCgroups.host().hierarchy()).isIn("v1", "hybrid", "v2");
    }

    @Test
    void a_runc_that_is_not_there_is_named() {
        IsolationFacts facts = RuncIsolation.probe(Path.of("/nonexistent/runc"), RuncIsolation.DEFAULT_TINI,
                NodeSettings.defaults().cgroupParent());

        assertThat(facts.verdict().isolated()).isFalse();
        assertThat(facts.verdict().warning()).contains("runc not found at /nonexistent/runc")
                .contains("apt-get install runc");
    }
}
