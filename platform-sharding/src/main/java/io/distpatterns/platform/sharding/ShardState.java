package io.distpatterns.platform.sharding;

/** ACTIVE shards own ring ranges; a DRAINING shard owns none (its keys are moving away) and takes no pins. */
public enum ShardState {
    ACTIVE,
    DRAINING
}
