package io.sluice.runner.store.isolation.runc;

import static io.sluice.runner.store.isolation.runc.CgroupFixtures.copy;
import static io.sluice.runner.store.isolation.runc.CgroupFixtures.copyDirectories;
import static io.sluice.runner.store.isolation.runc.CgroupFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.domain.IsolationFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v2 reading against recorded trees shaped as the kernel's cgroup-v2 admin guide says (this host is
 * cgroup v1 hybrid: its unified hierarchy has none of the jobs' controllers, so these files cannot be had for real
 * here; {@code CgroupV2OnThisKernelTest} runs what the controller-less unified hierarchy allows).
 */
class CgroupV2Test {

    @TempDir
    Path temp;

    private final CgroupV2 host = new CgroupV2(fixture("v2-host"));

    @Test
    void an_oom_kill_is_read_from_memory_events() {
        assertThat(host.oomKilled("/sluice/job-oom/c-oom")).isTrue();
        assertThat(host.oomKilled("/sluice/job-run/c-run")).as("oom_kill 0").isFalse();
        assertThat(host.oomKilled("/sluice/job-gone/c-gone")).as("no cgroup").isFalse();
    }

    @Test
    void the_peak_is_memory_peak_and_null_on_kernels_before_5_19_that_have_none() {
        assertThat(host.peakMemory("/sluice/job-oom/c-oom")).isEqualTo(32L << 20);
        assertThat(host.peakMemory("/sluice/job-run/c-run")).isEqualTo(7L << 20);
        assertThat(host.peakMemory("/sluice/job-old-kernel/c-old")).isNull();
    }

    @Test
    void pids_current_is_read_and_counted_from_cgroup_procs_where_the_pids_controller_is_not_given() {
        assertThat(host.pidsCurrent("/sluice/job-run/c-run")).hasValue(3);
        assertThat(host.pidsCurrent("/sluice/job-oom/c-oom")).hasValue(0);
        assertThat(host.pidsCurrent("/sluice/job-old-kernel/c-old")).as("no pids.current").hasValue(1);
        assertThat(host.pidsCurrent("/sluice/job-gone/c-gone")).as("no cgroup").isEqualTo(OptionalLong.empty());
    }

    @Test
    void the_processes_are_those_of_the_cgroup_and_its_descendants() {
        assertThat(host.processes("/sluice/job-run/c-run")).containsExactlyInAnyOrder(4101L, 4107L, 4112L);
        assertThat(host.processes("/sluice/job-oom/c-oom")).isEmpty();
        assertThat(host.processes("/sluice/job-gone/c-gone")).isEmpty();
    }

    @Test
    void the_swap_is_limitable_where_the_parent_has_memory_swap_max() throws Exception {
        Path tree = copy("v2-host", temp);
        CgroupV2 cgroups = new CgroupV2(tree);

        assertThat(cgroups.swapLimitable("sluice")).isTrue();

        Files.delete(tree.resolve("sluice/memory.swap.max"));
        assertThat(cgroups.swapLimitable("sluice")).as("no swap accounting (swapaccount=0)").isFalse();
    }

    @Test
    void removal_takes_the_leaves_first_and_leaves_the_job_to_remove_if_empty() throws Exception {
        Path tree = copyDirectories("v2-host", temp);
        CgroupV2 cgroups = new CgroupV2(tree);

        assertThat(cgroups.remove("/sluice/job-run/c-run")).isTrue();

        assertThat(tree.resolve("sluice/job-run/c-run")).doesNotExist();
        assertThat(tree.resolve("sluice/job-run")).isDirectory();
        cgroups.removeIfEmpty("/sluice/job-run");
        assertThat(tree.resolve("sluice/job-run")).doesNotExist();
        assertThat(cgroups.remove("/sluice/job-run/c-run")).as("gone already").isTrue();
    }

    @Test
    void a_cgroup_the_kernel_will_not_remove_yet_is_reported_and_kept() throws Exception {
        Path tree = copyDirectories("v2-host", temp);
        // A plain file keeps the directory from rmdir, as a process still in a cgroup does (EBUSY).
        Files.writeString(tree.resolve("sluice/job-run/c-run/worker/still-there"), "");
        CgroupV2 cgroups = new CgroupV2(tree);

        assertThat(cgroups.remove("/sluice/job-run/c-run")).isFalse();
        assertThat(tree.resolve("sluice/job-run/c-run/worker")).isDirectory();

        cgroups.removeIfEmpty("/sluice/job-run");
        assertThat(tree.resolve("sluice/job-run")).as("not empty").isDirectory();
    }

    @Test
    void a_prepared_parent_of_a_v2_host_is_usable() throws Exception {
        Path tree = copy("v2-host", temp);

        assertThat(new CgroupV2(tree).prepareParent("sluice")).isNull();
    }

    @Test
    void a_parent_is_created_and_the_controllers_given_down_from_the_root() throws Exception {
        Path tree = copy("v2-host", temp);
        Files.writeString(tree.resolve("cgroup.subtree_control"), "io\n");
        CgroupV2 cgroups = new CgroupV2(tree);

        IsolationFacts.Missing missing = cgroups.prepareParent("other/nested");

        assertThat(tree.resolve("other/nested")).isDirectory();
        // A plain file keeps the last of the writes, where the kernel adds each "+controller" to the set.
        assertThat(tree.resolve("cgroup.subtree_control")).hasContent("+cpu");
        assertThat(tree.resolve("other/cgroup.subtree_control")).doesNotExist();
        assertThat(missing).as("a plain directory gets no cgroup.controllers from the kernel").isNotNull();
        assertThat(missing.what()).contains("cannot be enabled for " + tree.resolve("other/nested"));
    }

    @Test
    void controllers_the_hierarchy_lacks_are_named_with_what_it_has() {
        IsolationFacts.Missing missing = new CgroupV2(fixture("v2-no-controllers")).prepareParent("sluice");

        assertThat(missing.what()).isEqualTo("the cgroup v2 controllers memory, pids, cpu are not available at "
                + fixture("v2-no-controllers") + " (its cgroup.controllers lists: hugetlb)");
        assertThat(missing.how()).contains("--cgroupns=private").contains("node-runner/README.md");
    }

    @Test
    void a_cgroup_namespace_root_that_holds_the_runner_says_its_processes_must_move_to_a_child() throws Exception {
        Path tree = copy("v2-container-root", temp);

        IsolationFacts.Missing missing = new CgroupV2(tree).prepareParent("sluice");

        assertThat(missing.what()).contains(tree + " holds processes of its own (pids 1 58)")
                .contains("only a cgroup without processes");
        assertThat(missing.how()).contains("move the processes of " + tree.resolve("cgroup.procs"));
    }

    @Test
    void cgroup_kill_is_written_where_the_kernel_has_it() throws Exception {
        Path tree = copy("v2-host", temp);
        CgroupV2 cgroups = new CgroupV2(tree);

        assertThat(cgroups.kill("/sluice/job-run/c-run")).isTrue();
        assertThat(tree.resolve("sluice/job-run/c-run/cgroup.kill")).hasContent("1");
        assertThat(cgroups.kill("/sluice/job-old-kernel/c-old")).as("before Linux 5.14").isFalse();
    }
}
