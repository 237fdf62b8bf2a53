package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.store.isolation.process.OutputCollector;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A probe run in a container reports what it sees; the node runtime contract in node-runner/README.md says what it
 * must see.
 */
public class RuncProbeTest extends RuncTestSupport {

    @Test
    void the_probe_sees_the_contract_of_the_node_runtime() throws Exception {
        TestJob job = job("job-probe");
        String probe = job.install("probe.sh");
        ProcessLimits limits = new ProcessLimits(64L << 20, 50, 200, 256);
        OutputCollector output = new OutputCollector();

        RunningProcess process = isolation.launch(job.process("probe", "/bin/sh", probe).limits(limits).build(),
                output);
        ProcessExit exit = process.exit().get(30, TimeUnit.SECONDS);
        Map<String, String> seen = parse(output.stdout());

        assertThat(exit.exitCode()).as("stderr: %s", output.stderr()).isZero();
        assertThat(seen).containsEntry("done", "yes");
        assertThat(seen.get("uid")).isEqualTo("65534").isNotEqualTo("0");
        assertThat(seen).containsEntry("hostname", "job-probe").containsEntry("pid1", "tini");
        assertThat(seen).containsEntry("tmpdir", "/sluice/tmp").containsEntry("cwd", "/sluice/data")
                .containsEntry("data_env", "/sluice/data");
        for (String readOnly : new String[] {"/", "/usr", "/bin", "/etc", "/lib", "/sbin"}) {
            assertThat(seen).as(readOnly).containsEntry("write:" + readOnly, "denied");
        }
        for (String writable : new String[] {"/sluice/data", "/sluice/tmp", "/tmp", "/var/tmp", "/sluice/logs",
            "/sluice/store"}) {
            assertThat(seen).as(writable).containsEntry("write:" + writable, "ok");
        }
        assertThat(job.dirs.tmp().resolve("written-via-tmp")).hasContent("shared");
        assertThat(processNames(seen.get("procs"))).as("processes visible: %s", seen.get("procs"))
                .containsEntry("1", "tini").allSatisfy((pid, name) -> assertThat(name).isIn("tini", "sh"));
        assertThat(seen).containsEntry("nofile", "200").containsEntry("memory", Long.toString(64L << 20))
                .containsEntry("memsw", Long.toString(64L << 20)).containsEntry("pids", "50");
        if (JobCgroups.host().hierarchy().equals("v2")) {
            // runc maps the OCI shares to cpu.weight: 1 + ((256 - 2) * 9999) / 262142.
            assertThat(seen).containsEntry("cpuweight", "10");
        } else {
            assertThat(seen).containsEntry("cpushares", "256");
        }
        assertThat(seen).containsEntry("CapEff", "0000000000000000").containsEntry("CapPrm", "0000000000000000")
                .containsEntry("CapBnd", "0000000000000000").containsEntry("CapAmb", "0000000000000000")
                .containsEntry("NoNewPrivs", "1");
        assertThat(seen).containsEntry("sysrq", "denied");
        assertThat(seen.get("netdev")).as("host network").isEqualTo(hostNetworkDevices());
        assertThat(seen).as("an orphan is adopted and reaped by tini").containsEntry("orphan_seen", "yes")
                .containsEntry("orphan_parent", "1").containsEntry("orphan_left", "no");
        assertThat(exit.peakMemoryBytes()).isPositive();
        assertThat(exit.oomKilled()).isFalse();
    }

    public static Map<String, String> parse(String output) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    private static Map<String, String> processNames(String procs) {
        return Arrays.stream(procs.trim().split(" ")).map(p -> p.split(":", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }

    private static String hostNetworkDevices() throws Exception {
        Set<String> names = new TreeSet<>();
        var lines = Files.readAllLines(Path.of("/proc/net/dev"));
        for (String line : lines.subList(2, lines.size())) {
            names.add(line.split(":")[0].trim());
        }
        return String.join(",", names) + ",";
    }
}
