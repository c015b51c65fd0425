package io.distpatterns.platform.sharding;

import java.math.BigInteger;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardKeyTest {

    @Test
    void integralNumbersAndTheirDecimalStringAreOneKey() {
        long expected = ShardKey.hash("1");

        assertThat(ShardKey.hash(1)).isEqualTo(expected);
        assertThat(ShardKey.hash(1L)).isEqualTo(expected);
        assertThat(ShardKey.hash((short) 1)).isEqualTo(expected);
        assertThat(ShardKey.hash(BigInteger.ONE)).isEqualTo(expected);
        assertThat(ShardKey.hash(-42L)).isEqualTo(ShardKey.hash("-42"));
    }

    @Test
    void uuidsAreLowerCaseCanonical() {
        UUID id = UUID.fromString("3F2504E0-4F89-11D3-9A0C-0305E82C3301");

        assertThat(ShardKey.canonical(id)).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    }

    @Test
    void refusesKeysWithoutACanonicalForm() {
        assertThatThrownBy(() -> ShardKey.canonical(1.0)).hasMessageContaining("java.lang.Double");
        assertThatThrownBy(() -> ShardKey.canonical(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> ShardKey.canonical("")).hasMessageContaining("empty");
    }

    @Test
    void differentKeysSpreadOverTheRing() {
        assertThat(ShardKey.hash("customer-1")).isNotEqualTo(ShardKey.hash("customer-2"));
    }
}
