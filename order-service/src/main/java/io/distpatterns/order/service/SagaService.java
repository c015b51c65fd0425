package io.distpatterns.order.service;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.distpatterns.order.domain.Order;
import io.distpatterns.order.domain.OrderEvents;
import io.distpatterns.order.domain.OrderStatus;
import io.distpatterns.order.persistence.OrderDirectory;
import io.distpatterns.order.persistence.OrderRows;
import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.order.persistence.UnitFences;
import io.distpatterns.platform.consumer.ProcessedEvents;
import io.distpatterns.platform.consumer.UnprocessableEventException;
import io.distpatterns.platform.outbox.EventEnvelope;
import io.distpatterns.platform.outbox.NewEvent;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Topics;
import org.springframework.stereotype.Service;

/**
 * The order side of the saga: inventory's answer moves a PENDING order to CONFIRMED or REJECTED, in
 * one transaction on the order's shard that records the event as processed, locks the order row
 * (so a concurrent cancel or timeout waits, and whoever is second sees the new status), changes
 * the status and appends OrderConfirmed / OrderRejected to the shard's outbox. An answer for an
 * order that is no longer PENDING (cancelled meanwhile) changes nothing: inventory releases the
 * stock on the OrderCancelled it gets anyway.
 */
@Service
public class SagaService {

    /** What handling an inventory event did. */
    public enum Outcome { CONFIRMED, REJECTED, NOT_PENDING, DUPLICATE }

    private final ShardMapSource maps;
    private final ShardDatabases shards;
    private final OrderDirectory directory;
    private final OutboxWriter outbox;
    private final ProcessedEvents processed;
    private final Map<OrderStatus, Counter> completed = new EnumMap<>(OrderStatus.class);
    private final Timer duration;
    private final FencedRouting routing;

    SagaService(ShardMapSource maps, ShardDatabases shards, OrderDirectory directory, OutboxWriter outbox,
                ProcessedEvents processed, MeterRegistry meters, FencedRouting routing) {
        this.routing = routing;
        this.maps = maps;
        this.shards = shards;
        this.directory = directory;
        this.outbox = outbox;
        this.processed = processed;
        for (OrderStatus state : new OrderStatus[] {OrderStatus.CONFIRMED, OrderStatus.REJECTED, OrderStatus.CANCELLED}) {
            completed.put(state, Counter.builder("saga.orders.completed").tag("state", state.name())
                    .description("Orders that reached a terminal saga state").register(meters));
        }
        this.duration = Timer.builder("saga.duration").description("From order placed to confirmed or rejected")
                .publishPercentileHistogram().register(meters);
    }

    public Outcome stockReserved(EventEnvelope event, long orderId) {
        return decide(event, orderId, OrderStatus.CONFIRMED, null);
    }

    public Outcome stockRejected(EventEnvelope event, long orderId, String reason) {
        return decide(event, orderId, OrderStatus.REJECTED, reason);
    }

    /** Counts an order cancelled by the timeout sweeper as a completed saga. */
    void timedOut() {
        completed.get(OrderStatus.CANCELLED).increment();
    }

    private Outcome decide(EventEnvelope event, long orderId, OrderStatus target, String reason) {
        String customerId = directory.customerOf(orderId).orElseThrow(() -> new UnprocessableEventException(
                UnprocessableEventException.Reason.BUSINESS_RULE, "order " + orderId + " is unknown"));
        Order[] decided = new Order[1];
        Outcome outcome = routing.write(customerId, (shard, epoch) -> shards.inTransaction(shard, db -> {
            UnitFences.admit(db.jdbc(), customerId, epoch);
            if (!processed.firstDelivery(db.jdbc(), event)) {
                return Outcome.DUPLICATE;
            }
            Order order = OrderRows.find(db.jdbc(), orderId, true).orElseThrow(() -> new UnprocessableEventException(
                    UnprocessableEventException.Reason.BUSINESS_RULE, "order " + orderId + " is not on its shard"));
            if (order.status() != OrderStatus.PENDING) {
                return Outcome.NOT_PENDING;
            }
            OrderRows.updateStatus(db.jdbc(), orderId, target);
            Object payload = target == OrderStatus.CONFIRMED
                    ? new OrderEvents.OrderConfirmed(Long.toString(orderId), customerId)
                    : new OrderEvents.OrderRejected(Long.toString(orderId), customerId, reason);
            outbox.append(db.dataSource(), new NewEvent(Topics.ORDERS_EVENTS,
                    target == OrderStatus.CONFIRMED ? "OrderConfirmed" : "OrderRejected", OrderEvents.AGGREGATE_TYPE,
                    Long.toString(orderId), OrderEvents.SCHEMA_VERSION, Instant.now(), payload));
            decided[0] = order;
            return target == OrderStatus.CONFIRMED ? Outcome.CONFIRMED : Outcome.REJECTED;
        }));
        if (decided[0] != null) {
            completed.get(target).increment();
            duration.record(Duration.between(decided[0].createdAt(), Instant.now()));
        }
        return outcome;
    }
}
