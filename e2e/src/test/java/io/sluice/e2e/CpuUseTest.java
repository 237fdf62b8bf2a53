package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuUseTest {

    @Test
    void a_stat_line_gives_the_name_and_the_time_of_the_process_and_of_its_reaped_children(@TempDir Path dir)
            throws IOException {
        // A thread may name itself with spaces and parentheses; utime 120, stime 30, cutime 7, cstime 3.
        Path stat = Files.writeString(dir.resolve("stat"),
                "4242 (C2 (x) Thread) S 1 4242 4242 0 -1 4194560 100 0 0 0 120 30 7 3 20 0 12 0 500 0 0\n");

        assertThat(ProcStat.read(stat)).contains(new ProcStat("C2 (x) Thread", 150, 10));
    }

    @Test
    void a_process_that_ended_has_no_stat_line(@TempDir Path dir) {
        assertThat(ProcStat.read(dir.resolve("gone/stat"))).isEmpty();
    }

    @Test
    void the_time_per_item_is_split_by_part_and_what_the_parts_leave_of_the_busy_time_is_the_rest() {
        CpuUse before = new CpuUse(parts(100, 50, 10), new CoreTicks(1_200, 150, 50));
        CpuUse after = new CpuUse(parts(300, 90, 30), new CoreTicks(1_800, 200, 100));

        assertThat(after.perItemSince(before, 10, "job")).isEqualTo("500.0 ms of CPU per job (job-service 200.0; "
                + "node-runner 40.0; PostgreSQL 20.0; the rest (runc, shims, containers, kernel) 240.0)");
    }

    private static Map<String, Long> parts(long jobService, long nodeRunner, long postgres) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        ticks.put("job-service", jobService);
        ticks.put("node-runner", nodeRunner);
        ticks.put("PostgreSQL", postgres);
        return ticks;
    }
}
