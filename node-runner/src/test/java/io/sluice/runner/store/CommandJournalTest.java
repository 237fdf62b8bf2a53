package io.sluice.runner.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the node's journal remembers across restarts, and where a restart resumes. */
class CommandJournalTest {

    @TempDir
    Path dir;

    @Test
    void a_reopened_journal_remembers_what_was_applied_and_where_to_resume() throws Exception {
        Path path = dir.resolve("state/applied-commands.log");
        try (CommandJournal journal = CommandJournal.open(path)) {
            assertThat(journal.resumeOffset()).isEmpty();
            journal.record(4, "command-a");
            journal.record(9, "command-b");
        }
        try (CommandJournal reopened = CommandJournal.open(path)) {
            assertThat(reopened.isApplied("command-a")).isTrue();
            assertThat(reopened.isApplied("command-b")).isTrue();
            assertThat(reopened.isApplied("command-c")).isFalse();
            assertThat(reopened.resumeOffset()).hasValue(10);
        }
    }

    @Test
    void a_long_journal_is_rewritten_down_to_the_commands_it_remembers() throws Exception {
        Path path = dir.resolve("applied-commands.log");
        Path leftOver = dir.resolve("applied-commands.log.compacting");
        Files.writeString(leftOver, "0\tfrom-a-compaction-a-crash-interrupted\t1\n");
        try (CommandJournal journal = CommandJournal.open(path, 3)) {
            for (int i = 0; i < 10; i++) {
                journal.record(i, "command-" + i);
            }
            assertThat(journal.isApplied("command-9")).isTrue();
            assertThat(journal.isApplied("command-0")).as("forgotten").isFalse();
        }
        assertThat(leftOver).doesNotExist();
        assertThat(Files.readAllLines(path)).hasSizeLessThanOrEqualTo(6).contains("9\tcommand-9\t10");
        try (CommandJournal reopened = CommandJournal.open(path, 3)) {
            assertThat(reopened.isApplied("command-7")).isTrue();
            assertThat(reopened.isApplied("command-8")).isTrue();
            assertThat(reopened.isApplied("command-9")).isTrue();
            assertThat(reopened.isApplied("from-a-compaction-a-crash-interrupted")).isFalse();
            assertThat(reopened.resumeOffset()).hasValue(10);
        }
    }

    @Test
    void a_line_torn_by_a_crash_is_forgotten_and_the_next_record_starts_a_clean_line() throws Exception {
        Path path = dir.resolve("applied-commands.log");
        try (CommandJournal journal = CommandJournal.open(path)) {
            journal.record(1, "command-a");
        }
        Files.writeString(path, "2\tcomma", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (CommandJournal afterCrash = CommandJournal.open(path)) {
            assertThat(afterCrash.isApplied("comma")).isFalse();
            assertThat(afterCrash.resumeOffset()).hasValue(2);
            afterCrash.record(2, "command-b");
        }
        assertThat(Files.readAllLines(path)).containsExactly("1\tcommand-a\t2", "2\tcommand-b\t3");
    }

    @Test
    void commands_finished_out_of_order_resume_at_the_first_one_still_under_way() throws Exception {
        Path path = dir.resolve("applied-commands.log");
        try (CommandJournal journal = CommandJournal.open(path)) {
            assertThat(journal.claim(4, "slow-prepare")).isTrue();
            assertThat(journal.claim(5, "fast-prepare")).isTrue();
            journal.passed(6);
            assertThat(journal.claim(7, "fast-launch")).isTrue();
            journal.record(5, "fast-prepare");
            journal.record(7, "fast-launch");

            assertThat(journal.resumeOffset()).hasValue(4);
        }
        try (CommandJournal afterCrash = CommandJournal.open(path)) {
            assertThat(afterCrash.resumeOffset()).as("a restart reads the slow command again").hasValue(4);
            assertThat(afterCrash.isApplied("slow-prepare")).isFalse();
            assertThat(afterCrash.isApplied("fast-prepare")).isTrue();
            assertThat(afterCrash.isApplied("fast-launch")).isTrue();
            assertThat(afterCrash.claim(4, "slow-prepare")).isTrue();
            assertThat(afterCrash.claim(5, "fast-prepare")).as("applied before the crash").isFalse();
            afterCrash.passed(6);
            assertThat(afterCrash.claim(7, "fast-launch")).isFalse();
            afterCrash.record(4, "slow-prepare");

            assertThat(afterCrash.resumeOffset()).hasValue(8);
        }
    }

    @Test
    void a_copy_of_a_command_under_way_is_not_claimed_twice() throws Exception {
        try (CommandJournal journal = CommandJournal.open(dir.resolve("applied-commands.log"))) {
            assertThat(journal.claim(1, "command-a")).isTrue();
            assertThat(journal.claim(2, "command-a")).isFalse();
            journal.record(1, "command-a");

            assertThat(journal.claim(3, "command-a")).isFalse();
            assertThat(journal.resumeOffset()).hasValue(3);
        }
    }

    @Test
    void lines_of_a_runner_that_applied_one_command_at_a_time_resume_after_the_last_one() throws Exception {
        Path path = dir.resolve("applied-commands.log");
        Files.writeString(path, "3\tcommand-a\n8\tcommand-b\n");

        try (CommandJournal journal = CommandJournal.open(path)) {
            assertThat(journal.resumeOffset()).hasValue(9);
            assertThat(journal.isApplied("command-b")).isTrue();
        }
    }
}
