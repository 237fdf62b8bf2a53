package io.sluice.runner.publish.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.logs.LogStream;
import io.sluice.runner.publish.logs.ShippingJournal.Chunk;
import io.sluice.runner.publish.logs.ShippingJournal.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal of shipped output tells a restarted runner where to go on and which chunks to send again. */
class ShippingJournalTest {

    @TempDir
    Path dir;

    private final Chunk first = new Chunk(0, LogStream.STDOUT, 0, 10, false);
    private final Chunk second = new Chunk(1, LogStream.STDERR, 0, 4, false);
    private final Chunk third = new Chunk(2, LogStream.STDOUT, 10, 6, false);

    @Test
    void a_fresh_process_starts_at_the_first_byte_with_nothing_to_send_again() {
        ShippingJournal.Loaded loaded = ShippingJournal.at(dir.resolve("p")).load();

        assertThat(loaded.checkpoint()).isEqualTo(Position.START);
        assertThat(loaded.unconfirmed()).isEmpty();
    }

    @Test
    void chunks_after_the_checkpoint_are_to_be_sent_again_and_counted_as_sent() {
        ShippingJournal journal = ShippingJournal.at(dir.resolve("p"));
        journal.append(first);
        journal.append(second);
        journal.checkpoint(Position.START.after(first), false);
        journal.append(third);
        journal.close();

        ShippingJournal.Loaded loaded = ShippingJournal.at(dir.resolve("p")).load();

        assertThat(loaded.checkpoint()).isEqualTo(new Position(1, 10, 0, 10, false));
        assertThat(loaded.unconfirmed()).containsExactly(second, third);
        assertThat(loaded.sent()).isEqualTo(new Position(3, 16, 4, 20, false));
    }

    @Test
    void a_checkpoint_with_nothing_sent_after_it_drops_the_chunk_lines() {
        ShippingJournal journal = ShippingJournal.at(dir.resolve("p"));
        journal.append(first);
        journal.append(second);
        Position all = Position.START.after(first).after(second);
        journal.checkpoint(all, true);
        journal.close();

        assertThat(dir.resolve("p.sending")).isEmptyFile();
        assertThat(ShippingJournal.at(dir.resolve("p")).load()).isEqualTo(new ShippingJournal.Loaded(all, List.of()));
    }

    @Test
    void a_line_torn_by_a_crash_and_lines_that_do_not_follow_on_are_ignored() throws Exception {
        ShippingJournal journal = ShippingJournal.at(dir.resolve("p"));
        journal.append(first);
        journal.append(new Chunk(1, LogStream.STDOUT, 99, 1, false));
        journal.close();
        Files.writeString(dir.resolve("p.sending"), "2 STDOUT 100 3 fa", StandardOpenOption.APPEND);

        assertThat(ShippingJournal.at(dir.resolve("p")).load().unconfirmed()).containsExactly(first);
    }

    @Test
    void a_truncated_chunk_says_the_jobs_cap_is_used_up() {
        Position after = Position.START.after(new Chunk(0, LogStream.STDOUT, 0, 7, true));

        assertThat(after.truncated()).isTrue();
        assertThat(after.takenBytes()).isEqualTo(7);
    }

    @Test
    void the_chunk_that_ends_a_job_whose_log_directory_is_full_is_sent_again_with_its_quota() {
        Chunk cut = new Chunk(1, LogStream.STDERR, 0, 0, true, 1_048_576);
        ShippingJournal journal = ShippingJournal.at(dir.resolve("p"));
        journal.append(first);
        journal.append(cut);
        journal.close();

        ShippingJournal.Loaded loaded = ShippingJournal.at(dir.resolve("p")).load();
        assertThat(loaded.unconfirmed()).containsExactly(first, cut);
        assertThat(loaded.sent().truncated()).isTrue();
    }
}
