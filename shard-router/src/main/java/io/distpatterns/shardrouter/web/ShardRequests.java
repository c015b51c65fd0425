package io.distpatterns.shardrouter.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.distpatterns.platform.sharding.Shard;

/** Request bodies of the shard-map API. {@code expectedVersion} is optional: when given, a stale one is a 409. */
final class ShardRequests {

    private ShardRequests() {
    }

    record AddShard(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,63}", message = "must be 1-64 characters of a-z, 0-9, '_' or '-'") String id,
            @NotBlank @Size(max = 500) String location,
            @Min(1) @Max(Shard.MAX_WEIGHT) Integer weight,
            @Min(0) Long expectedVersion,
            Boolean online) {
    }

    record SetWeight(@NotNull @Min(1) @Max(Shard.MAX_WEIGHT) Integer weight, @Min(0) Long expectedVersion) {
    }

    record Drain(@Min(0) Long expectedVersion) {
    }

    record SetRing(
            @NotBlank @Size(max = 500) String location,
            @NotNull @Min(1) @Max(Shard.MAX_WEIGHT) Integer weight,
            @NotNull io.distpatterns.platform.sharding.ShardState state,
            @NotNull @Size(min = 1, max = 100_000) java.util.List<@NotBlank @Pattern(regexp = "-?[0-9]{1,19}",
                    message = "must be a signed 64-bit integer written as a string") String> tokens,
            @Min(0) Long expectedVersion) {
    }

    record Pin(@NotBlank @Size(max = 200) String shardId, @Min(0) Long expectedVersion) {
    }
}
