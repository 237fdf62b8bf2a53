package io.sluice.runner.store.isolation.runc;

import static io.sluice.runner.store.isolation.runc.CgroupFixtures.mountinfo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The hierarchy is told from /proc/self/mountinfo alone, for each kind of host (recorded mountinfo files). */
class JobCgroupsTest {

    @Test
    void a_host_with_only_cgroup_v1_controllers_is_v1() throws Exception {
        JobCgroups cgroups = JobCgroups.of(mountinfo("v1"));

        assertThat(cgroups).isInstanceOf(CgroupV1.class);
        assertThat(cgroups.hierarchy()).isEqualTo("v1");
        assertThat(cgroups.describe()).contains("memory at /sys/fs/cgroup/memory")
                .contains("cpu at /sys/fs/cgroup/cpu,cpuacct").doesNotContain("cgroup2");
    }

    @Test
    void v1_controllers_beside_a_unified_mount_make_a_hybrid_host_whose_removal_covers_the_unified_mount()
            throws Exception {
        JobCgroups cgroups = JobCgroups.of(mountinfo("hybrid"));

        assertThat(cgroups).isInstanceOf(CgroupV1.class);
        assertThat(cgroups.hierarchy()).isEqualTo("hybrid");
        assertThat(cgroups.describe()).contains("pids at /sys/fs/cgroup/pids")
                .contains("cgroup2 at /sys/fs/cgroup/unified");
    }

    @Test
    void only_cgroup2_at_sys_fs_cgroup_is_v2() throws Exception {
        JobCgroups cgroups = JobCgroups.of(mountinfo("unified"));

        assertThat(cgroups).isInstanceOf(CgroupV2.class);
        assertThat(cgroups.hierarchy()).isEqualTo("v2");
        assertThat(cgroups.dir("memory", "/")).contains(Path.of("/sys/fs/cgroup"));
    }

    @Test
    void a_container_with_its_own_cgroup_namespace_on_a_v2_host_is_v2() throws Exception {
        JobCgroups cgroups = JobCgroups.of(mountinfo("container-cgroupns"));

        assertThat(cgroups.hierarchy()).isEqualTo("v2");
    }

    @Test
    void a_host_without_cgroups_says_none_and_what_is_missing() throws Exception {
        JobCgroups cgroups = JobCgroups.of(mountinfo("none"));

        assertThat(cgroups.hierarchy()).isEqualTo("none");
        assertThat(cgroups.prepareParent("sluice").what()).contains("memory, pids, cpu")
                .contains("/sys/fs/cgroup");
    }

    @Test
    void this_host_is_told_from_its_own_mountinfo() {
        assertThat(JobCgroups.host().hierarchy()).isIn("v1", "hybrid", "v2");
    }
}
