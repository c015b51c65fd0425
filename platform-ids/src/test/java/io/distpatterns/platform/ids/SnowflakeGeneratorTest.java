package io.distpatterns.platform.ids;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnowflakeGeneratorTest {

    static final long T0 = SnowflakeLayout.EPOCH_MILLIS + 1_000_000;

    final ManualTime time = new ManualTime(T0);
    final FixedLease lease = new FixedLease(7, T0 - 1000);
    final SnowflakeGenerator generator = new SnowflakeGenerator(lease, time, 5);

    @Test
    void issuesStrictlyIncreasingIdsCarryingWorkerAndTime() {
        long first = generator.nextId();
        long second = generator.nextId();
        time.set(T0 + 1);
        long third = generator.nextId();

        assertThat(first).isLessThan(second).isLessThan(third);
        assertThat(SnowflakeLayout.decode(first)).isEqualTo(new SnowflakeId(first, T0, 7, 0));
        assertThat(SnowflakeLayout.decode(second).sequence()).isEqualTo(1);
        assertThat(SnowflakeLayout.decode(third)).isEqualTo(new SnowflakeId(third, T0 + 1, 7, 0));
    }

    @Test
    void waitsOutBackwardsStepWithinTolerance() {
        long before = generator.nextId();
        time.then(T0 - 3, T0 - 2, T0 - 1, T0);

        long after = generator.nextId();

        assertThat(after).isGreaterThan(before);
        assertThat(SnowflakeLayout.decode(after)).isEqualTo(new SnowflakeId(after, T0, 7, 1));
        assertThat(generator.clockBackwardsCount()).isZero();
    }

    @Test
    void refusesBackwardsStepBeyondToleranceAndCountsIt() {
        generator.nextId();
        time.set(T0 - 6);

        assertThatThrownBy(generator::nextId)
                .isInstanceOf(ClockMovedBackwardsException.class)
                .hasMessageContaining("backwards by 6 ms");
        assertThat(generator.clockBackwardsCount()).isEqualTo(1);

        time.set(T0 + 1);
        assertThat(SnowflakeLayout.decode(generator.nextId()).unixMillis()).isEqualTo(T0 + 1);
    }

    @Test
    void waitsForNextMillisecondWhenSequenceIsExhausted() {
        long last = 0;
        for (int i = 0; i < SnowflakeLayout.SEQUENCES_PER_MILLI; i++) {
            last = generator.nextId();
        }
        assertThat(SnowflakeLayout.decode(last).sequence()).isEqualTo(SnowflakeLayout.MAX_SEQUENCE);
        int readsBefore = time.millisReads;
        time.then(T0, T0, T0, T0 + 1);

        long next = generator.nextId();

        assertThat(time.millisReads - readsBefore).as("spun on the clock until it moved").isGreaterThanOrEqualTo(4);
        assertThat(SnowflakeLayout.decode(next)).isEqualTo(new SnowflakeId(next, T0 + 1, 7, 0));
        assertThat(next).isGreaterThan(last);
    }

    @Test
    void neverIssuesAtOrBelowTheFloorOfEarlierHolders() {
        lease.floorMillis = T0 + 2;
        var restarted = new SnowflakeGenerator(lease, time, 5);
        time.then(T0, T0 + 1, T0 + 2, T0 + 3);

        long id = restarted.nextId();

        assertThat(SnowflakeLayout.decode(id).unixMillis()).isEqualTo(T0 + 3);
    }

    @Test
    void refusesWhenClockIsFarBehindTheFloor() {
        lease.floorMillis = T0 + 60_000;
        var restarted = new SnowflakeGenerator(lease, time, 5);

        assertThatThrownBy(restarted::nextId).isInstanceOf(ClockMovedBackwardsException.class);
    }

    @Test
    void stopsIssuingWhenTheLeaseLapses() {
        lease.validUntilNanos = 1_000;
        generator.nextId();
        time.advanceNanos(1_001);

        assertThatThrownBy(generator::nextId)
                .isInstanceOf(WorkerLeaseLostException.class)
                .hasMessageContaining("not renewed in time");
    }

    @Test
    void stopsIssuingWhenTheLeaseWasTakenOver() {
        lease.lostReason = "taken over";

        assertThatThrownBy(generator::nextId).isInstanceOf(WorkerLeaseLostException.class).hasMessageContaining("taken over");
    }

    @Test
    void refusesTimestampsBeyondTheReservedCeiling() {
        lease.ceilingMillis = T0 + 10;
        time.set(T0 + 11);

        assertThatThrownBy(generator::nextId).isInstanceOf(WorkerLeaseLostException.class).hasMessageContaining("reserved");
    }
}
