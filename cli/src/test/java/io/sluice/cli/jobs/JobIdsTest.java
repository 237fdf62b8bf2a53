package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Fresh job ids: unique within one millisecond, sorted by time, valid for job-service, and carrying their time. */
class JobIdsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T15:30:12.345Z");

    @Test
    void ids_made_in_the_same_millisecond_differ() {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, 100_000).forEach(i -> ids.add(JobIds.fresh(NOW)));
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void an_id_is_a_lowercase_ulid_that_job_service_accepts_and_sorts_by_time() {
        String earlier = JobIds.fresh(NOW);
        String later = JobIds.fresh(NOW.plusMillis(1));
        assertThat(earlier).matches("job-[0-9a-hjkmnp-tv-z]{26}")
                // job-service's JobSpecValidator.JOB_ID: it names directories on the node.
                .matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
        assertThat(earlier).isLessThan(later);
    }

    @Test
    void the_id_carries_its_millisecond_and_the_older_dated_ids_their_second() {
        assertThat(JobIds.timeOf(JobIds.fresh(NOW))).contains(NOW);
        assertThat(JobIds.timeOf("job-20250314-093012-7f3a")).contains(Instant.parse("2025-03-14T09:30:12Z"));
    }

    @Test
    void an_id_a_person_chose_carries_no_time() {
        assertThat(JobIds.timeOf("nightly-build")).isEmpty();
        assertThat(JobIds.timeOf("job-1")).isEmpty();
        assertThat(JobIds.timeOf("job-20251399-250000-0000")).isEmpty();
    }
}
