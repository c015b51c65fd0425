package io.distpatterns.platform.sharding;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

/**
 * The canonical form of a shard key, and its 64-bit position on the ring.
 *
 * <p>Rule: integral numbers ({@code Byte}, {@code Short}, {@code Integer}, {@code Long},
 * {@code BigInteger}) become their decimal string; a {@code String} is taken as it is; a
 * {@code UUID} becomes its lower-case 36-character form. So {@code 1}, {@code 1L},
 * {@code BigInteger.ONE} and {@code "1"} are one key. Anything else (floating point, arbitrary
 * objects whose {@code toString} may change) is refused rather than hashed by accident. The
 * position is the first 64 bits of Murmur3-128 (seed 0) of the key's UTF-8 bytes.
 */
public final class ShardKey {

    private static final HashFunction MURMUR3 = Hashing.murmur3_128();

    private ShardKey() {
    }

    /** The canonical string of {@code key}. */
    public static String canonical(Object key) {
        if (key instanceof String s) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a shard key must not be empty");
            }
            return s;
        }
        if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte
                || key instanceof BigInteger) {
            return key.toString();
        }
        if (key instanceof UUID uuid) {
            return uuid.toString();
        }
        throw new IllegalArgumentException("unsupported shard key type "
                + (key == null ? "null" : key.getClass().getName()) + ": use a String, an integral number or a UUID");
    }

    /** The ring position of {@code key}. */
    public static long hash(Object key) {
        return hashCanonical(canonical(key));
    }

    /** The ring position of an already canonical key. */
    public static long hashCanonical(String canonicalKey) {
        return MURMUR3.hashString(canonicalKey, StandardCharsets.UTF_8).asLong();
    }
}
