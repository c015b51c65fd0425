/**
 * Where every record lives: the shard map and routing by it, as a mechanism shared by shard-router
 * (which owns and edits the map) and every service that routes by it (which keeps a local copy).
 *
 * <p>A {@link io.distpatterns.platform.sharding.ShardMap} is a consistent-hash
 * {@link io.distpatterns.platform.sharding.ShardRing} with virtual nodes over the ACTIVE shards
 * (more virtual nodes for heavier shards), plus a directory of pinned keys that override the ring.
 * Keys are reduced to one canonical string by {@link io.distpatterns.platform.sharding.ShardKey}
 * before hashing (Murmur3, 64 bits), so {@code 1}, {@code 1L} and {@code "1"} route alike.
 * {@link io.distpatterns.platform.sharding.MovePlan} says which ring ranges change owner between two
 * maps. {@link io.distpatterns.platform.sharding.ShardMapClient} keeps a copy fresh from shard-router
 * and routes locally, with no network hop per request, from its last good map while shard-router is
 * down.
 */
package io.distpatterns.platform.sharding;
