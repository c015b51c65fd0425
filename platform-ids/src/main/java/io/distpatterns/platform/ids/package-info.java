/**
 * Snowflake IDs: 64-bit, time-ordered, unique across every instance of the platform.
 *
 * <p>Layout ({@link io.distpatterns.platform.ids.SnowflakeLayout}): 1 sign bit (always 0), 41 bits
 * of milliseconds since 2026-01-01T00:00:00Z, 10 bits of worker ID, 12 bits of sequence. The time
 * bits run out at 2095-09-07T15:47:35.551Z. A {@link io.distpatterns.platform.ids.SnowflakeGenerator}
 * issues strictly increasing IDs for one worker ID, which it holds through a
 * {@link io.distpatterns.platform.ids.WorkerIdLease} leased from PostgreSQL (no ZooKeeper): the
 * lease table guarantees no two live instances hold one worker ID, and it remembers the highest
 * timestamp a worker may have used so a restarted instance never issues below it. An instance that
 * cannot renew its lease stops issuing IDs instead of risking duplicates; a clock that steps back
 * more than a small tolerance is refused, not trusted.
 */
package io.distpatterns.platform.ids;
