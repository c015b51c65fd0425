package io.distpatterns.platform.consumer.deadletter;

import java.time.Instant;
import java.util.List;


import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import io.distpatterns.platform.consumer.deadletter.DeadLetter.Filter;
import io.distpatterns.platform.consumer.deadletter.DeadLetter.Status;
import io.distpatterns.platform.web.InvalidFieldException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/dead-letters}: admin only (the gateway requires an admin key on {@code /api/admin/**};
 * the service port is not public). The actor is taken from {@code X-Admin-Actor}.
 */
@RestController
@Validated
@RequestMapping("/admin/dead-letters")
class DeadLetterController {

    static final String ACTOR = "X-Admin-Actor";

    private final DeadLetterStore store;
    private final DeadLetterAdmin admin;

    DeadLetterController(DeadLetterStore store, DeadLetterAdmin admin) {
        this.store = store;
        this.admin = admin;
    }

    record Summary(long id, String status, String originTopic, Integer originPartition, Long originOffset, String key,
                   String eventId, String eventType, String exceptionClass, String exceptionMessage, int attempts,
                   Instant receivedAt, Instant resolvedAt) {
        static Summary of(DeadLetter d) {
            return new Summary(d.id(), d.status().name(), d.originTopic(), d.originPartition(), d.originOffset(), d.key(),
                    d.eventId(), d.eventType(), d.exceptionClass(), d.exceptionMessage(), d.attempts(), d.receivedAt(),
                    d.resolvedAt());
        }
    }

    record Page(List<Summary> items, Long nextBeforeId) {
    }

    record Detail(DeadLetter deadLetter, List<DeadLetter.AuditEntry> audit) {
    }

    record ActionRequest(@Size(max = 500) String reason) {
    }

    record BulkReplayRequest(String originTopic, String eventType, String exception, String eventId,
                             @Min(1) @Max(10_000) Integer max, @Size(max = 500) String reason) {
    }

    record ActionResponse(long id, String status, String outcome) {
    }

    @GetMapping
    Page list(@RequestParam(required = false) String status, @RequestParam(required = false) String originTopic,
              @RequestParam(required = false) String eventType, @RequestParam(required = false) String exception,
              @RequestParam(required = false) String eventId, @RequestParam(defaultValue = "0") long beforeId,
              @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        List<Summary> items = store.list(new Filter(status(status), originTopic, eventType, exception, eventId), beforeId, limit)
                .stream().map(Summary::of).toList();
        return new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }

    @GetMapping("/{id}")
    Detail inspect(@PathVariable long id) {
        return new Detail(store.find(id).orElseThrow(() -> new DeadLetterAdmin.NotFoundException(id)), store.audit(id));
    }

    @PostMapping("/{id}/replay")
    ActionResponse replay(@PathVariable long id, @RequestHeader(name = ACTOR, defaultValue = "unknown") String actor,
                          @RequestBody(required = false) ActionRequest request) {
        var outcome = admin.replay(id, actor, request == null ? null : request.reason());
        return new ActionResponse(id, Status.REPLAYED.name(), outcome.name());
    }

    @PostMapping("/replay")
    DeadLetterAdmin.BulkReplay replayMatching(@RequestHeader(name = ACTOR, defaultValue = "unknown") String actor,
                                              @RequestBody @jakarta.validation.Valid BulkReplayRequest request) {
        return admin.replayMatching(new Filter(null, request.originTopic(), request.eventType(), request.exception(),
                request.eventId()), request.max() == null ? 100 : request.max(), actor, request.reason());
    }

    @PostMapping("/{id}/discard")
    ActionResponse discard(@PathVariable long id, @RequestHeader(name = ACTOR, defaultValue = "unknown") String actor,
                           @RequestBody(required = false) ActionRequest request) {
        var outcome = admin.discard(id, actor, request == null ? null : request.reason());
        return new ActionResponse(id, Status.DISCARDED.name(), outcome.name());
    }

    @ExceptionHandler(DeadLetterAdmin.NotFoundException.class)
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "Dead letter not found", e.getMessage());
    }

    @ExceptionHandler(DeadLetterAdmin.StateConflictException.class)
    ProblemDetail conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, "Dead letter state does not allow this", e.getMessage());
    }

    @ExceptionHandler(DeadLetterAdmin.RateLimitedException.class)
    ResponseEntity<ProblemDetail> limited(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "1")
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "Replay rate limit", e.getMessage()));
    }

    private static Status status(String status) {
        if (status == null) {
            return null;
        }
        try {
            return Status.valueOf(status.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("status", "must be one of NEW, REPLAYED, DISCARDED");
        }
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

}
