package io.distpatterns.shardrouter.web;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.distpatterns.platform.sharding.MovePlan;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardMapDocument;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.shardrouter.domain.ShardMapChange;
import io.distpatterns.shardrouter.domain.ShardMapRules;
import io.distpatterns.shardrouter.persistence.ShardMapStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@Tag(name = "shards", description = "The versioned shard map: ring of virtual nodes plus pinned keys")
@RestController
@RequestMapping("/shards")
@Validated
class ShardController {

    private final ShardMapStore store;

    ShardController(ShardMapStore store) {
        this.store = store;
    }

    /** One shard as people read it: how many tokens it has and which fraction of the key space it owns. */
    record ShardView(String id, String location, int weight, ShardState state, int tokens, double share) {
    }

    record MapSummary(long version, int vnodesPerShard, List<ShardView> shards, Map<String, String> pinned) {
    }

    @Operation(summary = "The map for people: version, shards with their share of the key space, pinned keys")
    @GetMapping
    MapSummary summary() {
        ShardMap map = store.current();
        Map<String, Double> shares = map.ring().shares();
        List<ShardView> shards = map.shards().stream()
                .map(s -> new ShardView(s.id(), s.location(), s.weight(), s.state(), map.tokens().get(s.id()).length,
                        shares.getOrDefault(s.id(), 0.0)))
                .toList();
        return new MapSummary(map.version(), map.vnodesPerShard(), shards, map.pinned());
    }

    @Operation(summary = "The whole map with ring tokens, for clients that route locally. "
            + "Answers 304 to If-None-Match with the current version.")
    @GetMapping("/map")
    ResponseEntity<ShardMapDocument> map(@RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        ShardMap map = store.current();
        String etag = "\"" + map.version() + "\"";
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(ShardMapDocument.of(map));
    }

    @Operation(summary = "Where a key lives: its pin, else its owner on the ring")
    @GetMapping("/route")
    ShardMap.Route route(@RequestParam @NotBlank @Size(max = 200) String key) {
        return store.current().route(key);
    }

    @Operation(summary = "Add a shard; answers the new version and the move plan. With \"online\": true it joins JOINING "
            + "(no range yet) and order-service's mover moves its customers to it one ring range per epoch")
    @PostMapping
    ResponseEntity<ChangeResponse> add(@Valid @RequestBody ShardRequests.AddShard request) {
        int weight = request.weight() == null ? Shard.STANDARD_WEIGHT : request.weight();
        boolean online = Boolean.TRUE.equals(request.online());
        ChangeResponse response = change(request.expectedVersion(),
                new ShardMapChange.AddShard(request.id(), request.location(), weight, online));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest()
                .path("/{id}").buildAndExpand(request.id()).toUri()).body(response);
    }

    @Operation(summary = "Change a shard's weight (percent of a standard shard)")
    @PutMapping("/{id}/weight")
    ChangeResponse weight(@PathVariable String id, @Valid @RequestBody ShardRequests.SetWeight request) {
        return change(request.expectedVersion(), new ShardMapChange.SetWeight(id, request.weight()));
    }

    @Operation(summary = "Drain a shard: it keeps its data but owns no ring range any more")
    @PostMapping("/{id}/drain")
    ChangeResponse drain(@PathVariable String id, @Valid @RequestBody(required = false) ShardRequests.Drain request) {
        return change(request == null ? null : request.expectedVersion(), new ShardMapChange.DrainShard(id));
    }

    @Operation(summary = "Remove a shard from the map")
    @DeleteMapping("/{id}")
    ChangeResponse remove(@PathVariable String id, @RequestParam(required = false) @Min(0) Long expectedVersion) {
        return change(expectedVersion, new ShardMapChange.RemoveShard(id));
    }

    @Operation(summary = "Set a shard's exact ring tokens and state (created if missing): the epochs of an online move, "
            + "one virtual node at a time (order-service's mover publishes them; see README Resharding)")
    @PutMapping("/{id}/ring")
    ChangeResponse ring(@PathVariable @jakarta.validation.constraints.Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,63}") String id,
                        @Valid @RequestBody ShardRequests.SetRing request) {
        long[] tokens = new long[request.tokens().size()];
        for (int i = 0; i < tokens.length; i++) {
            try {
                tokens[i] = Long.parseLong(request.tokens().get(i));
            } catch (NumberFormatException e) {
                throw new io.distpatterns.platform.web.InvalidFieldException("tokens[" + i + "]", "is not a signed 64-bit integer");
            }
        }
        return change(request.expectedVersion(), new ShardMapChange.SetRing(id, request.location(), request.weight(),
                request.state(), tokens));
    }

    @Operation(summary = "Pin a key to a shard, overriding the ring (a hot customer on a dedicated shard)")
    @PutMapping("/pins/{key}")
    ChangeResponse pin(@PathVariable @Size(max = 200) String key, @Valid @RequestBody ShardRequests.Pin request) {
        return change(request.expectedVersion(), new ShardMapChange.PinKey(key, request.shardId()));
    }

    @Operation(summary = "Unpin a key: the ring decides again")
    @DeleteMapping("/pins/{key}")
    ChangeResponse unpin(@PathVariable String key, @RequestParam(required = false) @Min(0) Long expectedVersion) {
        return change(expectedVersion, new ShardMapChange.UnpinKey(key));
    }

    private ChangeResponse change(Long expectedVersion, ShardMapChange change) {
        var result = store.change(expectedVersion, map -> ShardMapRules.apply(map, change));
        ShardMap after = result.after();
        if (change instanceof ShardMapChange.AddShard add && add.online()) {
            // nothing moves in this version; answer the plan of the move it starts (the shard once ACTIVE)
            List<Shard> shards = after.shards().stream()
                    .map(s -> s.id().equals(add.id()) ? s.withState(ShardState.ACTIVE) : s).toList();
            after = new ShardMap(after.version(), after.vnodesPerShard(), shards, after.pinned(), after.tokens());
        }
        return ChangeResponse.of(MovePlan.between(result.before(), after));
    }
}
