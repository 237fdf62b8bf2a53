package io.sluice.runner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drain order a node keeps in its state directory. */
class DrainOrderTest {

    @TempDir
    Path stateDir;

    @Test
    void no_file_is_no_order_and_an_order_kept_is_read_back_by_the_next_runner() throws Exception {
        Path file = stateDir.resolve("drain-order.properties");
        DrainOrder none = DrainOrder.open(file);
        assertThat(none.draining()).isFalse();
        assertThat(none.reason()).isNull();

        none.set(true, "kernel upgrade");
        DrainOrder reopened = DrainOrder.open(file);
        assertThat(reopened.draining()).isTrue();
        assertThat(reopened.reason()).isEqualTo("kernel upgrade");
        reopened.set(false, null);
        assertThat(DrainOrder.open(file).draining()).isFalse();
        assertThat(DrainOrder.open(file).reason()).isNull();
        assertThat(stateDir.resolve("drain-order.properties.tmp")).doesNotExist();
    }

    @Test
    void a_file_that_says_neither_true_nor_false_is_named_and_not_guessed() throws Exception {
        Path file = Files.writeString(stateDir.resolve("drain-order.properties"), "draining=maybe\n");

        assertThatThrownBy(() -> DrainOrder.open(file)).hasMessage("the node's drain order " + file
                + " says draining=maybe, not true or false: fix or remove the file");
    }
}
