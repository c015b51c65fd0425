package io.distpatterns.order.web;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.distpatterns.order.domain.MoveConflictException;
import io.distpatterns.order.service.MoveProgress;
import io.distpatterns.order.service.ShardMover;
import io.distpatterns.platform.sharding.MovePlan;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.web.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "resharding", description = "Online moves: add or drain a shard while orders keep flowing")
@RestController
@Validated
class MoveController {

    private final ShardMover mover;

    MoveController(ShardMover mover) {
        this.mover = mover;
    }

    /** ADD a shard (id, location, optional weight) or DRAIN one (id). */
    record MoveRequest(
            @NotBlank @Pattern(regexp = "ADD|DRAIN", message = "must be ADD or DRAIN") String action,
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,63}", message = "must be 1-64 characters of a-z, 0-9, '_' or '-'") String shardId,
            @Size(max = 500) String location,
            @Min(1) @Max(Shard.MAX_WEIGHT) Integer weight) {
    }

    record Range(String fromExclusive, String toInclusive, String from, String to, double fraction) {
    }

    record PlanView(String kind, String shardId, long fromVersion, int units, double movedFraction, List<MovePlan.Transfer> transfers,
                    long customersNow, long customersToMove, double customerFractionToMove, List<Range> ranges) {
    }

    @Operation(summary = "Start a move (202, Location of its progress), or with dryRun=true print its plan: units (ring ranges), "
            + "fraction of the ring and customers that would move")
    @PostMapping("/admin/moves")
    ResponseEntity<?> start(@Valid @RequestBody MoveRequest request, @RequestParam(defaultValue = "false") boolean dryRun) {
        boolean adding = "ADD".equals(request.action());
        if (adding && (request.location() == null || request.location().isBlank())) {
            throw new InvalidFieldException("location", "is required to ADD a shard (a database name, e.g. orders_shard_4)");
        }
        if (!adding && (request.location() != null || request.weight() != null)) {
            throw new InvalidFieldException(request.location() != null ? "location" : "weight", "is not used to DRAIN a shard");
        }
        ShardMover.Request move = adding ? new ShardMover.Request(request.shardId(), request.location(), request.weight(), null)
                : new ShardMover.Request(null, null, null, request.shardId());
        if (dryRun) {
            ShardMover.Plan plan = mover.plan(move);
            List<Range> ranges = plan.ranges().stream().map(r -> new Range(Long.toString(r.fromExclusive()),
                    Long.toString(r.toInclusive()), r.from(), r.to(), r.fraction())).toList();
            return ResponseEntity.ok(new PlanView(plan.kind(), plan.shardId(), plan.fromVersion(), plan.units(), plan.movedFraction(),
                    plan.transfers(), plan.customersNow(), plan.customersToMove(),
                    plan.customersNow() == 0 ? 0 : (double) plan.customersToMove() / plan.customersNow(), ranges));
        }
        long id = mover.start(move);
        return ResponseEntity.accepted().location(URI.create("/admin/moves/" + id)).body(progress(id));
    }

    @Operation(summary = "Recent moves, newest first")
    @GetMapping("/admin/moves")
    List<MoveProgress> recent(@RequestParam(defaultValue = "10") @Min(1) @Max(100) int limit) {
        return mover.recent(limit);
    }

    @Operation(summary = "A move's progress: units to move, copied, verified, switched, done; customers and orders moved; longest pause")
    @GetMapping("/admin/moves/{id}")
    MoveProgress progress(@PathVariable long id) {
        return mover.progress(id).orElseThrow(() -> new MoveNotFoundException(id));
    }

    @Operation(summary = "Pause a RUNNING move after its current unit")
    @PostMapping("/admin/moves/{id}/pause")
    MoveProgress pause(@PathVariable long id) {
        return act(id, mover.pause(id), "pause", "RUNNING");
    }

    @Operation(summary = "Resume a PAUSED move")
    @PostMapping("/admin/moves/{id}/resume")
    MoveProgress resume(@PathVariable long id) {
        return act(id, mover.resume(id), "resume", "PAUSED");
    }

    @Operation(summary = "Abort an open move: the unit in progress is rolled back (its copy deleted, its fence lifted); "
            + "units already switched stay on their new shard")
    @PostMapping("/admin/moves/{id}/abort")
    MoveProgress abort(@PathVariable long id) {
        return act(id, mover.abort(id), "abort", "RUNNING or PAUSED");
    }

    private MoveProgress act(long id, boolean changed, String action, String required) {
        MoveProgress progress = progress(id);
        if (!changed) {
            throw new MoveConflictException("cannot " + action + " move " + id + ": it is " + progress.state() + ", not " + required);
        }
        return progress(id);
    }

    /** No move with this id (404). */
    static class MoveNotFoundException extends RuntimeException {
        MoveNotFoundException(long id) {
            super("move " + id + " does not exist");
        }
    }
}
