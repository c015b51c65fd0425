package io.distpatterns.relay.domain;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderedBatchTest {

    static OutboxRow row(String aggregate, long version, long firstPending) {
        return new OutboxRow(version * 1000 + aggregate.hashCode(), "orders.events", "OrderPlaced", "Order", aggregate,
                version, 1, Instant.EPOCH, "{}", null, 0, 0, firstPending);
    }

    @Test
    void sendsEachAggregateInVersionOrderAlthoughReadInTransactionOrder() {
        var rows = List.of(row("a", 2, 1), row("b", 1, 1), row("a", 1, 1), row("a", 3, 1));

        var batch = OrderedBatch.of(rows);

        assertThat(batch.chains()).hasSize(2);
        assertThat(batch.chains().get(0)).extracting(OutboxRow::aggregateVersion).containsExactly(1L, 2L, 3L);
        assertThat(batch.chains().get(1)).extracting(OutboxRow::aggregateId).containsExactly("b");
        assertThat(batch.missing()).isEmpty();
    }

    @Test
    void stopsAnAggregateAtTheFirstGap() {
        var batch = OrderedBatch.of(List.of(row("a", 4, 4), row("a", 6, 4)));

        assertThat(batch.chains().get(0)).extracting(OutboxRow::aggregateVersion).containsExactly(4L);
    }

    @Test
    void reportsPredecessorsNotInHandAndSendsNothingOfThatAggregate() {
        var batch = OrderedBatch.of(List.of(row("a", 5, 3), row("b", 1, 1)));

        assertThat(batch.missing()).containsExactly(new OrderedBatch.Gap(new OutboxRow.AggregateKey("Order", "a"), 3, 5));
        assertThat(batch.chains()).hasSize(1);
        assertThat(batch.size()).isEqualTo(1);
    }

    @Test
    void pollsAtOnceWhenBusyAndBacksOffWhenIdle() {
        var backoff = new PollBackoff(java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(40));

        assertThat(backoff.nextPauseNanos(100, 100)).isZero();
        assertThat(backoff.nextPauseNanos(3, 100)).isEqualTo(5_000_000);
        for (int i = 0; i < PollBackoff.BUSY_EMPTY_POLLS; i++) {
            assertThat(backoff.nextPauseNanos(0, 100)).as("empty poll %d of a busy source", i + 1).isEqualTo(5_000_000);
        }
        assertThat(List.of(backoff.nextPauseNanos(0, 100), backoff.nextPauseNanos(0, 100), backoff.nextPauseNanos(0, 100),
                backoff.nextPauseNanos(0, 100), backoff.nextPauseNanos(0, 100)))
                .containsExactly(5_000_000L, 10_000_000L, 20_000_000L, 40_000_000L, 40_000_000L);
        assertThat(backoff.nextPauseNanos(1, 100)).as("a find resets the backoff").isEqualTo(5_000_000);
        assertThat(backoff.nextPauseNanos(0, 100)).isEqualTo(5_000_000);
    }
}
