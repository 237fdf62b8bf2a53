package io.sluice.runner.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(Files.readAllLines(path)).containsExactly("1\tcommand-a", "2\tcommand-b");
    }
}
