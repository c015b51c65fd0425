package io.distpatterns.platform.sharding;

/**
 * ACTIVE shards own ring ranges; a DRAINING shard owns none (its keys are moving away) and takes no
 * pins; a JOINING shard is in the map with its tokens but owns no range yet: an online move copies
 * its customers and hands it its ranges one epoch at a time, after which it is ACTIVE.
 */
public enum ShardState {
    ACTIVE,
    DRAINING,
    JOINING
}
