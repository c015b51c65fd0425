package io.distpatterns.platform.consumer.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.distpatterns.platform.consumer.DeadLetterHeaders;
import io.distpatterns.platform.consumer.deadletter.DeadLetter.Filter;
import io.distpatterns.platform.consumer.deadletter.DeadLetter.Status;
import org.springframework.kafka.core.KafkaOperations;

/**
 * The operator's actions on dead letters. State machine: {@code NEW -> REPLAYED | DISCARDED}.
 *
 * <ul>
 *   <li>Replay sends the original key, value and non-DLT headers back to the origin topic (plus
 *       {@value DeadLetterHeaders#REPLAY_OF}) while holding the row lock, then marks it REPLAYED in the
 *       same transaction: concurrent or repeated replays of one dead letter publish once. Replaying a
 *       REPLAYED one answers {@link Outcome#ALREADY_DONE} without sending; a DISCARDED one is a conflict.
 *       A crash between send and commit may send twice: consumers are idempotent.</li>
 *   <li>Replays take a token of a bucket ({@code replayPerSecond}); without one, {@link RateLimitedException}.</li>
 *   <li>Every action is audited with its actor, reason and outcome.</li>
 * </ul>
 * Metrics: {@code dlt_depth_records} (NEW dead letters), {@code dlt_records_total} (collected),
 * {@code dlt_replays_total}, {@code dlt_discards_total}.
 */
public class DeadLetterAdmin {

    /** What an action did. */
    public enum Outcome { DONE, ALREADY_DONE }

    /** The dead letter is final in another state (replaying a discarded one, discarding a replayed one). */
    public static class StateConflictException extends RuntimeException {
        StateConflictException(long id, Status status, String action) {
            super("dead letter " + id + " is " + status + ": cannot " + action);
        }
    }

    public static class NotFoundException extends RuntimeException {
        NotFoundException(long id) {
            super("dead letter " + id + " does not exist");
        }
    }

    public static class RateLimitedException extends RuntimeException {
        RateLimitedException() {
            super("replay rate limit reached; retry in a second");
        }
    }

    /** The result of a filtered replay: ids replayed, and how many matching ones were left for the rate limit. */
    public record BulkReplay(List<Long> replayed, int rateLimited) {
    }

    private final DeadLetterStore store;
    private final KafkaOperations<String, String> kafka;
    private final ReplayRateLimiter limiter;
    private final int batchMax;
    private final Counter collected;
    private final Counter replays;
    private final Counter discards;

    public DeadLetterAdmin(DeadLetterStore store, KafkaOperations<String, String> kafka, int replayPerSecond, int batchMax,
                           MeterRegistry meters) {
        this.store = store;
        this.kafka = kafka;
        this.limiter = new ReplayRateLimiter(replayPerSecond);
        this.batchMax = batchMax;
        this.collected = Counter.builder("dlt.records").description("Dead letters collected").register(meters);
        this.replays = Counter.builder("dlt.replays").description("Dead letters replayed to their origin topic").register(meters);
        this.discards = Counter.builder("dlt.discards").description("Dead letters discarded").register(meters);
        Gauge.builder("dlt.depth", store, DeadLetterStore::depth).baseUnit("records")
                .description("Dead letters waiting for an operator").register(meters);
    }

    void collected() {
        collected.increment();
    }

    public Outcome replay(long id, String actor, String reason) {
        if (!limiter.tryAcquire()) {
            throw new RateLimitedException();
        }
        return replayWithToken(id, actor, reason);
    }

    /** Replays the NEW dead letters matching {@code filter}, oldest first, at most {@code max} and the batch limit. */
    public BulkReplay replayMatching(Filter filter, int max, String actor, String reason) {
        Filter onlyNew = new Filter(Status.NEW, filter.originTopic(), filter.eventType(), filter.exception(), filter.eventId());
        List<DeadLetter> matching = new ArrayList<>(store.list(onlyNew, 0, Math.min(max, batchMax)));
        java.util.Collections.reverse(matching);
        List<Long> replayed = new ArrayList<>();
        int limited = 0;
        for (DeadLetter letter : matching) {
            if (!limiter.tryAcquire()) {
                limited = matching.size() - replayed.size();
                break;
            }
            if (replayWithToken(letter.id(), actor, reason) == Outcome.DONE) {
                replayed.add(letter.id());
            }
        }
        if (replayed.isEmpty() && limited > 0) {
            throw new RateLimitedException();
        }
        return new BulkReplay(replayed, limited);
    }

    public Outcome discard(long id, String actor, String reason) {
        Outcome outcome = store.inTransaction(() -> {
            DeadLetter letter = store.lock(id).orElseThrow(() -> new NotFoundException(id));
            if (letter.status() == Status.DISCARDED) {
                store.audit(id, "DISCARD", actor, reason, "already discarded");
                return Outcome.ALREADY_DONE;
            }
            if (letter.status() == Status.REPLAYED) {
                throw new StateConflictException(id, letter.status(), "discard");
            }
            store.resolve(id, Status.DISCARDED);
            store.audit(id, "DISCARD", actor, reason, "discarded");
            return Outcome.DONE;
        });
        if (outcome == Outcome.DONE) {
            discards.increment();
        }
        return outcome;
    }

    private Outcome replayWithToken(long id, String actor, String reason) {
        Outcome outcome = store.inTransaction(() -> {
            DeadLetter letter = store.lock(id).orElseThrow(() -> new NotFoundException(id));
            if (letter.status() == Status.REPLAYED) {
                store.audit(id, "REPLAY", actor, reason, "already replayed");
                return Outcome.ALREADY_DONE;
            }
            if (letter.status() == Status.DISCARDED) {
                throw new StateConflictException(id, letter.status(), "replay");
            }
            String target = letter.originTopic();
            send(letter, target);
            store.resolve(id, Status.REPLAYED);
            store.audit(id, "REPLAY", actor, reason, "sent to " + target);
            return Outcome.DONE;
        });
        if (outcome == Outcome.DONE) {
            replays.increment();
        }
        return outcome;
    }

    private void send(DeadLetter letter, String topic) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, letter.key(), letter.value());
        for (Map.Entry<String, String> header : letter.headers().entrySet()) {
            if (!DeadLetterHeaders.isDeadLetterHeader(header.getKey()) && header.getValue() != null) {
                record.headers().add(new RecordHeader(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
        record.headers().add(new RecordHeader(DeadLetterHeaders.REPLAY_OF,
                Long.toString(letter.id()).getBytes(StandardCharsets.UTF_8)));
        try {
            kafka.send(record).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying dead letter " + letter.id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot replay dead letter " + letter.id() + " to " + topic + ": " + e.getMessage(), e);
        }
    }
}
