package io.distpatterns.platform.ids;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnowflakeLayoutTest {

    @Test
    void timeBitsRunOutSixtyNineYearsAfterTheEpoch() {
        assertThat(SnowflakeLayout.exhaustedAt()).isEqualTo(Instant.parse("2095-09-07T15:47:35.551Z"));
    }

    @Test
    void rejectsPartsOutsideTheLayout() {
        assertThatThrownBy(() -> SnowflakeLayout.encode(SnowflakeLayout.EPOCH_MILLIS - 1, 0, 0)).hasMessageContaining("outside");
        assertThatThrownBy(() -> SnowflakeLayout.encode(SnowflakeLayout.EPOCH_MILLIS, 1024, 0)).hasMessageContaining("worker ID 1024");
        assertThatThrownBy(() -> SnowflakeLayout.encode(SnowflakeLayout.EPOCH_MILLIS, 0, 4096)).hasMessageContaining("sequence 4096");
        assertThatThrownBy(() -> SnowflakeLayout.decode(-5)).hasMessageContaining("positive");
    }
}
