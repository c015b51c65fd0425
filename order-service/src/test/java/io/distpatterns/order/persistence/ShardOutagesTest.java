package io.distpatterns.order.persistence;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.distpatterns.order.domain.ShardUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardOutagesTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final ShardOutages outages = new ShardOutages(Duration.ofNanos(100), now::get);
    private final AtomicInteger attempts = new AtomicInteger();

    private String down() {
        attempts.incrementAndGet();
        throw new ShardUnavailableException("s1", new RuntimeException("connection refused"));
    }

    private String up() {
        attempts.incrementAndGet();
        return "ok";
    }

    @Test
    void aShardThatFailedToConnectIsRefusedWithoutTryingUntilTheProbeInterval() {
        assertThatThrownBy(() -> outages.guard("s1", this::down)).isInstanceOf(ShardUnavailableException.class);
        assertThat(attempts).hasValue(1);

        now.addAndGet(99);
        assertThatThrownBy(() -> outages.guard("s1", this::up))
                .isInstanceOf(ShardUnavailableException.class).hasMessageContaining("connection refused");
        assertThat(attempts).as("refused at once, the shard was not tried").hasValue(1);
        assertThat(outages.guard("s2", this::up)).as("other shards are unaffected").isEqualTo("ok");
    }

    @Test
    void afterTheIntervalOneProbeTriesAndItsSuccessEndsTheOutage() {
        assertThatThrownBy(() -> outages.guard("s1", this::down)).isInstanceOf(ShardUnavailableException.class);
        now.addAndGet(100);

        String result = outages.guard("s1", () -> {
            // while this probe runs, other requests are still refused
            assertThatThrownBy(() -> outages.guard("s1", this::up)).isInstanceOf(ShardUnavailableException.class);
            return up();
        });

        assertThat(result).isEqualTo("ok");
        assertThat(outages.isDown("s1")).isFalse();
        assertThat(outages.guard("s1", this::up)).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aFailedProbeRefusesForAnotherInterval() {
        assertThatThrownBy(() -> outages.guard("s1", this::down)).isInstanceOf(ShardUnavailableException.class);
        now.addAndGet(100);
        assertThatThrownBy(() -> outages.guard("s1", this::down)).isInstanceOf(ShardUnavailableException.class);
        assertThat(attempts).hasValue(2);

        now.addAndGet(50);
        assertThatThrownBy(() -> outages.guard("s1", this::up)).isInstanceOf(ShardUnavailableException.class);
        assertThat(attempts).hasValue(2);
        assertThat(outages.isDown("s1")).isTrue();
    }

    @Test
    void otherFailuresAreNotOutages() {
        assertThatThrownBy(() -> outages.guard("s1", () -> {
            throw new IllegalStateException("a bug, not a dead database");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(outages.isDown("s1")).isFalse();
        assertThat(outages.guard("s1", this::up)).isEqualTo("ok");
    }
}
