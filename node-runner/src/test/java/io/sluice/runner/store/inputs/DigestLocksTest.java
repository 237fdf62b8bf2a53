package io.sluice.runner.store.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DigestLocksTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final DigestLocks locks = new DigestLocks();

    @Test
    void work_on_one_digest_waits_for_the_holder_while_work_on_another_digest_goes_ahead() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean();
        Thread holder = Thread.ofPlatform().start(() -> {
            try {
                locks.underLockOf("a", () -> {
                    holding.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        Thread waiter = Thread.ofPlatform().start(() -> locks.underLockOf("a", () -> {
            secondRan.set(true);
            return null;
        }));

        await().atMost(DEADLINE).until(() -> waiter.getState() == Thread.State.BLOCKED);
        assertThat(secondRan).as("ran while the first held the digest").isFalse();
        assertThat(CompletableFuture.supplyAsync(() -> locks.underLockOf("b", () -> "other digest"))
                .get(10, TimeUnit.SECONDS)).isEqualTo("other digest");
        assertThat(locks.size()).as("one lock, shared by holder and waiter").isEqualTo(1);

        release.countDown();
        holder.join(DEADLINE);
        waiter.join(DEADLINE);
        assertThat(secondRan).isTrue();
        assertThat(locks.size()).as("locks left once nobody holds them").isZero();
    }

    @Test
    void a_digest_s_lock_is_dropped_when_its_work_fails_too() {
        assertThatThrownBy(() -> locks.underLockOf("a", () -> {
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(locks.size()).isZero();
    }
}
