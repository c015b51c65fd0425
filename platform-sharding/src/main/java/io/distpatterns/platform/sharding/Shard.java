package io.distpatterns.platform.sharding;

/**
 * One shard of the map.
 *
 * @param id       stable identifier, for example {@code orders_shard_0}
 * @param location where it lives: a logical database name on the platform server or a JDBC URL
 * @param weight   size relative to a standard shard, in percent (100 = standard, 200 = twice the keys)
 * @param state    ACTIVE or DRAINING
 */
public record Shard(String id, String location, int weight, ShardState state) {

    public static final int STANDARD_WEIGHT = 100;
    public static final int MAX_WEIGHT = 1000;

    public Shard {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("shard id must not be blank");
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be within [1, " + MAX_WEIGHT + "], got " + weight);
        }
        if (state == null) {
            throw new IllegalArgumentException("shard state must be set");
        }
    }

    public boolean active() {
        return state == ShardState.ACTIVE;
    }

    public Shard withWeight(int newWeight) {
        return new Shard(id, location, newWeight, state);
    }

    public Shard withState(ShardState newState) {
        return new Shard(id, location, weight, newState);
    }
}
