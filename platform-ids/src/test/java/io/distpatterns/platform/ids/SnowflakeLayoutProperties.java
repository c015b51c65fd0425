package io.distpatterns.platform.ids;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

class SnowflakeLayoutProperties {

    record Parts(long unixMillis, int workerId, int sequence) {
    }

    @Provide
    Arbitrary<Parts> parts() {
        return Combinators.combine(
                Arbitraries.longs().between(SnowflakeLayout.EPOCH_MILLIS, SnowflakeLayout.EPOCH_MILLIS + SnowflakeLayout.MAX_TIME_OFFSET),
                Arbitraries.integers().between(0, SnowflakeLayout.MAX_WORKER_ID),
                Arbitraries.integers().between(0, SnowflakeLayout.MAX_SEQUENCE)).as(Parts::new);
    }

    @Property
    void decodeOfEncodeGivesBackEveryPart(@ForAll("parts") Parts p) {
        long id = SnowflakeLayout.encode(p.unixMillis(), p.workerId(), p.sequence());

        var decoded = SnowflakeLayout.decode(id);

        assertThat(id).isNotNegative();
        assertThat(decoded).isEqualTo(new SnowflakeId(id, p.unixMillis(), p.workerId(), p.sequence()));
    }

    @Property
    void idsOrderByTimeThenWorkerThenSequence(@ForAll("parts") Parts a, @ForAll("parts") Parts b) {
        long idA = SnowflakeLayout.encode(a.unixMillis(), a.workerId(), a.sequence());
        long idB = SnowflakeLayout.encode(b.unixMillis(), b.workerId(), b.sequence());

        int byParts = java.util.Comparator.comparingLong(Parts::unixMillis)
                .thenComparingInt(Parts::workerId).thenComparingInt(Parts::sequence).compare(a, b);

        assertThat(Integer.signum(Long.compare(idA, idB))).isEqualTo(Integer.signum(byParts));
    }

    @Property
    void everyPositiveLongDecodesAndReencodesToItself(@ForAll long raw) {
        long id = raw & Long.MAX_VALUE;

        var d = SnowflakeLayout.decode(id);

        assertThat(SnowflakeLayout.encode(d.unixMillis(), d.workerId(), d.sequence())).isEqualTo(id);
    }
}
