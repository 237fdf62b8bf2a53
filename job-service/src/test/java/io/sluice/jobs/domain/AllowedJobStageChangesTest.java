package io.sluice.jobs.domain;

import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The job's one transition table: what it allows, and that a job refuses every other move. */
class AllowedJobStageChangesTest {

    @Test
    void a_job_moves_forward_to_its_outcome_and_never_back_from_it() {
        for (Stage from : Stage.values()) {
            boolean decided = !from.beforeOutcome();
            assertThat(AllowedJobStageChanges.allows(from, Stage.QUEUED)).as("%s → QUEUED", from).isFalse();
            if (decided) {
                assertThat(EnumSet.allOf(Stage.class)).as("stages after %s", from)
                        .filteredOn(to -> AllowedJobStageChanges.allows(from, to))
                        .isSubsetOf(EnumSet.of(Stage.CLEANED_UP));
            } else {
                assertThat(AllowedJobStageChanges.allows(from, Stage.CLOSING)).as("%s → CLOSING", from).isTrue();
                assertThat(AllowedJobStageChanges.allows(from, Stage.CLEANED_UP)).as("%s → CLEANED_UP", from)
                        .isFalse();
            }
        }
    }

    @Test
    void a_job_refuses_a_move_the_table_lacks_naming_itself_and_both_stages() {
        Job queued = Job.submitted("job-1", aJob().spec(), "sha", Stage.QUEUED);
        Job cleanedUp = queued.moveTo(Stage.WAITING_FOR_WORKER).moveTo(Stage.PREPARING).moveTo(Stage.RUNNING)
                .moveTo(Stage.CLOSING).moveTo(Stage.CLEANED_UP);

        assertThat(cleanedUp.stage()).isEqualTo(Stage.CLEANED_UP);
        assertThatThrownBy(() -> queued.moveTo(Stage.CLEANED_UP))
                .isInstanceOf(IllegalJobStageChangeException.class)
                .hasMessage("job job-1 cannot go from QUEUED to CLEANED_UP");
        assertThatThrownBy(() -> cleanedUp.moveTo(Stage.CLOSING))
                .isInstanceOf(IllegalJobStageChangeException.class)
                .hasMessage("job job-1 cannot go from CLEANED_UP to CLOSING");
    }
}
