package io.sluice.runner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The verdict of isolation auto, drawn from what the host offers: each missing part is named with its remedy. */
class IsolationFactsTest {

    private static final IsolationFacts ALL_THERE = new IsolationFacts("/usr/sbin/runc", true,
            "/usr/bin/tini-static", true, 0, true, true, true, null);

    @Test
    void a_host_with_everything_is_isolated() {
        IsolationFacts.Verdict verdict = ALL_THERE.verdict();

        assertThat(verdict.isolated()).isTrue();
        assertThat(verdict.missing()).isEmpty();
    }

    @Test
    void a_missing_runc_is_named_with_its_path_and_package() {
        IsolationFacts.Verdict verdict = new IsolationFacts("/usr/sbin/runc", false, "/usr/bin/tini-static", true, 0,
                true, true, true, null).verdict();

        assertThat(verdict.isolated()).isFalse();
        assertThat(verdict.warning()).isEqualTo("isolation is NONE (job processes run as plain host processes): "
                + "runc not found at /usr/sbin/runc; to isolate jobs, install runc (apt-get install runc)");
    }

    @Test
    void a_missing_tini_is_named_with_its_path_and_package() {
        IsolationFacts.Verdict verdict = new IsolationFacts("/usr/sbin/runc", true, "/usr/bin/tini-static", false, 0,
                true, true, true, null).verdict();

        assertThat(verdict.isolated()).isFalse();
        assertThat(verdict.reason()).isEqualTo("tini not found at /usr/bin/tini-static; to isolate jobs, install "
                + "tini (apt-get install tini)");
    }

    @Test
    void a_runner_that_is_not_root_is_told_to_run_as_root() {
        IsolationFacts.Verdict verdict = new IsolationFacts("/usr/sbin/runc", true, "/usr/bin/tini-static", true,
                1000, true, true, true, null).verdict();

        assertThat(verdict.isolated()).isFalse();
        assertThat(verdict.reason()).isEqualTo("the runner runs as uid 1000, not root; to isolate jobs, run the "
                + "node runner as root");
    }

    @Test
    void missing_tools_of_the_shim_and_the_networks_name_their_packages() {
        IsolationFacts.Verdict verdict = new IsolationFacts("/usr/sbin/runc", true, "/usr/bin/tini-static", true, 0,
                false, false, false, null).verdict();

        assertThat(verdict.isolated()).isFalse();
        assertThat(verdict.reason()).isEqualTo("setsid not found; ip not found; nft not found; to isolate jobs, "
                + "install util-linux, iproute2 and nftables (apt-get install util-linux iproute2 nftables)");
    }

    @Test
    void unusable_cgroups_are_said_with_their_own_remedy() {
        IsolationFacts.Verdict verdict = new IsolationFacts("/usr/sbin/runc", true, "/usr/bin/tini-static", true, 0,
                true, true, true, new IsolationFacts.Missing("the cgroup v2 controllers memory are not available",
                "delegate them")).verdict();

        assertThat(verdict.isolated()).isFalse();
        assertThat(verdict.reason()).isEqualTo("the cgroup v2 controllers memory are not available; to isolate jobs, "
                + "delegate them");
    }

    @Test
    void everything_missing_on_a_laptop_reads_as_one_line() {
        IsolationFacts.Verdict verdict = new IsolationFacts("/usr/sbin/runc", false, "/usr/bin/tini-static", false,
                1000, true, true, true, null).verdict();

        assertThat(verdict.warning()).isEqualTo("isolation is NONE (job processes run as plain host processes): "
                + "runc not found at /usr/sbin/runc; tini not found at /usr/bin/tini-static; the runner runs as uid "
                + "1000, not root; to isolate jobs, install runc and tini (apt-get install runc tini) and run the node "
                + "runner as root").doesNotContain("\n");
    }
}
