package io.distpatterns.order.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.distpatterns.order.config.OrdersProperties;
import io.distpatterns.order.domain.IdempotencyKeyReusedException;
import io.distpatterns.order.domain.Order;
import io.distpatterns.order.domain.OrderEvents;
import io.distpatterns.order.domain.OrderLine;
import io.distpatterns.order.domain.OrderNotFoundException;
import io.distpatterns.order.domain.OrderStateConflictException;
import io.distpatterns.order.domain.OrderStatus;
import io.distpatterns.order.persistence.IdempotencyKeys;
import io.distpatterns.order.persistence.OrderDirectory;
import io.distpatterns.order.persistence.OrderRows;
import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.order.persistence.UnitFences;
import io.distpatterns.platform.ids.IdGenerator;
import io.distpatterns.platform.outbox.NewEvent;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Topics;
import io.distpatterns.platform.sharding.Shard;
import org.springframework.stereotype.Service;

/**
 * The order use cases. Every write is one local transaction on the customer's shard that changes
 * the order and appends its event to that shard's outbox; reads ask one shard, except the admin
 * listing, which asks all of them in parallel and says which did not answer.
 */
@Service
public class OrderService {

    private final ShardMapSource maps;
    private final ShardDatabases shards;
    private final OrderDirectory directory;
    private final IdGenerator ids;
    private final OutboxWriter outbox;
    private final OrdersProperties properties;
    private final ExecutorService scatter;
    private final Counter placed;
    private final Counter replayed;
    private final Counter cancelled;
    private final FencedRouting routing;

    OrderService(ShardMapSource maps, ShardDatabases shards, OrderDirectory directory, IdGenerator ids, OutboxWriter outbox,
                 OrdersProperties properties, ExecutorService adminScatterExecutor, MeterRegistry meters, FencedRouting routing) {
        this.maps = maps;
        this.routing = routing;
        this.shards = shards;
        this.directory = directory;
        this.ids = ids;
        this.outbox = outbox;
        this.properties = properties;
        this.scatter = adminScatterExecutor;
        this.placed = Counter.builder("orders.placed").description("Orders created").register(meters);
        this.replayed = Counter.builder("orders.idempotent.replays").description("Retries answered from the Idempotency-Key").register(meters);
        this.cancelled = Counter.builder("orders.cancelled").description("Orders cancelled").register(meters);
    }

    /** A new order for a customer, as validated by the web layer. */
    public record PlaceOrder(String customerId, String currency, List<OrderLine> lines, String idempotencyKey,
                             String requestHash) {
    }

    /** The answer to a placement: the response body to send, and whether it is a replay of the first one. */
    public record Placement(long orderId, String responseBody, boolean replayed) {
    }

    /**
     * Stores the order PENDING with its OrderPlaced event, or, for a retry with the same key and body,
     * returns the first response. {@code render} turns the new order into the response body, which is
     * stored with the key.
     *
     * @throws IdempotencyKeyReusedException for the same key with a different body
     */
    public Placement place(PlaceOrder command, Function<Order, String> render) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Order order = new Order(ids.nextId(), command.customerId(), OrderStatus.PENDING, command.currency(),
                List.copyOf(command.lines()), Order.totalOf(command.lines()), now);
        String body = render.apply(order);
        directory.record(order.id(), order.customerId());
        Placement placement = routing.write(command.customerId(), (shard, epoch) -> shards.inTransaction(shard, db -> {
            UnitFences.admit(db.jdbc(), command.customerId(), epoch);
            if (IdempotencyKeys.claim(db.jdbc(), command.customerId(), command.idempotencyKey(), command.requestHash(),
                    order.id(), body, now, properties.idempotencyKeyTtl())) {
                OrderRows.insert(db.jdbc(), order);
                outbox.append(db.dataSource(), event(order, "OrderPlaced", OrderEvents.OrderPlaced.of(order)));
                return new Placement(order.id(), body, false);
            }
            var stored = IdempotencyKeys.find(db.jdbc(), command.customerId(), command.idempotencyKey()).orElseThrow();
            if (!stored.requestHash().equals(command.requestHash())) {
                throw new IdempotencyKeyReusedException(command.idempotencyKey());
            }
            return new Placement(stored.orderId(), stored.responseBody(), true);
        }));
        if (placement.replayed()) {
            directory.forget(order.id()); // the id drawn for this attempt was never used
            replayed.increment();
        } else {
            placed.increment();
        }
        return placement;
    }

    public Order get(long orderId) {
        String customerId = directory.customerOf(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
        return routing.read(customerId, (shard, db) -> OrderRows.find(db.jdbc(), orderId, false), Optional::isEmpty)
                .orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    /** PENDING or CONFIRMED → CANCELLED with OrderCancelled; anything else is a conflict. */
    public Order cancel(long orderId, String reason) {
        String customerId = directory.customerOf(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
        Order result = routing.write(customerId, (shard, epoch) -> shards.inTransaction(shard, db -> {
            UnitFences.admit(db.jdbc(), customerId, epoch);
            Order order = OrderRows.find(db.jdbc(), orderId, true).orElseThrow(() -> new OrderNotFoundException(orderId));
            if (!order.status().cancellable()) {
                throw new OrderStateConflictException(orderId, order.status(), "cancel");
            }
            OrderRows.updateStatus(db.jdbc(), orderId, OrderStatus.CANCELLED);
            outbox.append(db.dataSource(), event(order, "OrderCancelled", new OrderEvents.OrderCancelled(
                    Long.toString(orderId), order.customerId(), order.status().name(), reason)));
            return order.withStatus(OrderStatus.CANCELLED);
        }));
        cancelled.increment();
        return result;
    }

    /** One page of a customer's orders, newest first, from one shard; {@code limit + 1} rows tell whether more follow. */
    public List<Order> customerOrders(String customerId, Instant beforeCreatedAt, long beforeId, int limit) {
        return routing.read(customerId, (shard, db) -> OrderRows.ofCustomer(db.jdbc(), customerId, beforeCreatedAt, beforeId, limit),
                page -> true);
    }

    /** The result of asking every shard: merged orders, and the shards that did not answer in time. */
    public record ScatterResult(List<Order> orders, List<String> shardsAsked, Map<String, String> missingShards) {
    }

    /** Recent orders of all shards, merged newest first; each shard gets {@code adminShardTimeout}. */
    public ScatterResult recentOrders(OrderStatus status, Instant since, int limit) {
        List<Shard> all = maps.current().shards();
        Map<String, CompletableFuture<List<Order>>> futures = new java.util.LinkedHashMap<>();
        for (Shard shard : all) {
            futures.put(shard.id(), CompletableFuture
                    .supplyAsync(() -> shards.read(shard, db -> OrderRows.recent(db.jdbc(), status, since, limit)), scatter)
                    .orTimeout(properties.adminShardTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }
        List<Order> merged = new ArrayList<>();
        Map<String, String> missing = new java.util.TreeMap<>();
        futures.forEach((shardId, future) -> {
            try {
                merged.addAll(future.join());
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                missing.put(shardId, cause instanceof TimeoutException
                        ? "no answer within " + properties.adminShardTimeout().toMillis() + " ms"
                        : String.valueOf(cause.getMessage()));
            }
        });
        // while a unit is between its copy and the delete of its source rows, its orders are on two shards
        Map<Long, Order> unique = new java.util.LinkedHashMap<>();
        merged.forEach(o -> unique.putIfAbsent(o.id(), o));
        List<Order> distinct = new ArrayList<>(unique.values());
        distinct.sort(Comparator.comparing(Order::createdAt).thenComparing(Order::id).reversed());
        return new ScatterResult(distinct.stream().limit(limit).toList(), all.stream().map(Shard::id).toList(), missing);
    }

    private static NewEvent event(Order order, String type, Object payload) {
        return new NewEvent(Topics.ORDERS_EVENTS, type, OrderEvents.AGGREGATE_TYPE, Long.toString(order.id()),
                OrderEvents.SCHEMA_VERSION, Instant.now(), payload);
    }
}
