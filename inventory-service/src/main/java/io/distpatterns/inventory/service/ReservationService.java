package io.distpatterns.inventory.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.distpatterns.inventory.domain.InventoryEvents;
import io.distpatterns.inventory.domain.InventoryEvents.ShortLine;
import io.distpatterns.inventory.domain.ReservationStatus;
import io.distpatterns.inventory.domain.StockLine;
import io.distpatterns.inventory.persistence.ProductRows;
import io.distpatterns.inventory.persistence.ReservationRows;
import io.distpatterns.platform.consumer.ProcessedEvents;
import io.distpatterns.platform.outbox.EventEnvelope;
import io.distpatterns.platform.outbox.NewEvent;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Topics;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inventory's part of the saga. Each method is one transaction that records the event as
 * processed, changes stock and reservations, and appends the answer to the outbox: all or nothing.
 *
 * <p><b>Locking.</b> The order's {@code reservations} row is claimed first ({@code INSERT ... ON
 * CONFLICT DO NOTHING}, or {@code SELECT ... FOR UPDATE} when it exists), so every event of one
 * order serializes on it and an order is reserved at most once. Then the products of the order are
 * locked with {@code SELECT ... FOR UPDATE} in SKU order (no deadlock between two orders), every
 * line is checked against {@code available}, and either all lines move from available to reserved
 * or none does. Row locks rather than conditional updates because all-or-nothing over several lines
 * needs every line's verdict (for StockRejected's short lines) before changing any, with no partial
 * update to undo; the table's {@code CHECK (available >= 0)} is the backstop.
 *
 * <p><b>Compensation wins.</b> A cancel for an order inventory has not seen leaves a CANCELLED
 * tombstone; the late OrderPlaced finds the row and reserves nothing.
 */
@Service
public class ReservationService {

    /** What handling an event did. */
    public enum Outcome { RESERVED, REJECTED, RELEASED, COMMITTED, NOTHING_TO_DO, DUPLICATE }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OutboxWriter outbox;
    private final ProcessedEvents processed;
    private final Map<Outcome, Counter> outcomes = new java.util.EnumMap<>(Outcome.class);

    ReservationService(JdbcTemplate jdbc, TransactionTemplate tx, OutboxWriter outbox, ProcessedEvents processed,
                       MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
        this.processed = processed;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("inventory.saga.events").tag("outcome", outcome.name().toLowerCase())
                    .description("Order events handled by inventory, by outcome").register(meters));
        }
    }

    /** OrderPlaced: reserve every line or none. */
    public Outcome reserve(EventEnvelope event, String orderId, List<StockLine> requested) {
        return count(tx.execute(status -> {
            if (!processed.firstDelivery(jdbc, event)) {
                return Outcome.DUPLICATE;
            }
            if (!ReservationRows.claim(jdbc, orderId, ReservationStatus.REJECTED)) {
                return Outcome.NOTHING_TO_DO; // reserved, rejected or cancelled before: never twice
            }
            List<StockLine> lines = merged(requested);
            Map<String, Integer> available = ProductRows.lockAvailable(jdbc, lines.stream().map(StockLine::sku).toList());
            List<ShortLine> shortLines = new ArrayList<>();
            for (StockLine line : lines) {
                Integer free = available.get(line.sku());
                if (free == null || free < line.quantity()) {
                    shortLines.add(new ShortLine(line.sku(), line.quantity(), free == null ? 0 : free, free == null));
                }
            }
            if (!shortLines.isEmpty()) {
                boolean unknown = shortLines.stream().anyMatch(ShortLine::unknownSku);
                append(orderId, "StockRejected", new InventoryEvents.StockRejected(orderId,
                        unknown ? "UNKNOWN_SKU" : "INSUFFICIENT_STOCK", shortLines));
                return Outcome.REJECTED;
            }
            ProductRows.move(jdbc, lines, "available", "reserved");
            ReservationRows.insertLines(jdbc, orderId, lines);
            ReservationRows.setStatus(jdbc, orderId, ReservationStatus.RESERVED);
            append(orderId, "StockReserved", new InventoryEvents.StockReserved(orderId, lines));
            return Outcome.RESERVED;
        }));
    }

    /** OrderCancelled: give back whatever is held for the order, or leave a tombstone if nothing is yet. */
    public Outcome release(EventEnvelope event, String orderId) {
        return count(tx.execute(status -> {
            if (!processed.firstDelivery(jdbc, event)) {
                return Outcome.DUPLICATE;
            }
            if (ReservationRows.claim(jdbc, orderId, ReservationStatus.CANCELLED)) {
                append(orderId, "StockReleased", new InventoryEvents.StockReleased(orderId, List.of(), "NONE"));
                return Outcome.RELEASED;
            }
            ReservationStatus current = ReservationRows.lock(jdbc, orderId).orElseThrow();
            String from = switch (current) {
                case RESERVED -> "reserved";
                case COMMITTED -> "committed";
                default -> null;
            };
            if (from == null) {
                return Outcome.NOTHING_TO_DO;
            }
            List<StockLine> lines = ReservationRows.lines(jdbc, orderId);
            ProductRows.move(jdbc, lines, from, "available");
            ReservationRows.setStatus(jdbc, orderId, ReservationStatus.RELEASED);
            append(orderId, "StockReleased", new InventoryEvents.StockReleased(orderId, lines, current.name()));
            return Outcome.RELEASED;
        }));
    }

    /** OrderConfirmed: the held stock is taken for good (reserved → committed). */
    public Outcome commit(EventEnvelope event, String orderId) {
        return count(tx.execute(status -> {
            if (!processed.firstDelivery(jdbc, event)) {
                return Outcome.DUPLICATE;
            }
            Optional<ReservationStatus> current = ReservationRows.lock(jdbc, orderId);
            if (current.isEmpty() || current.get() != ReservationStatus.RESERVED) {
                return Outcome.NOTHING_TO_DO;
            }
            ProductRows.move(jdbc, ReservationRows.lines(jdbc, orderId), "reserved", "committed");
            ReservationRows.setStatus(jdbc, orderId, ReservationStatus.COMMITTED);
            return Outcome.COMMITTED;
        }));
    }

    private Outcome count(Outcome outcome) {
        outcomes.get(outcome).increment();
        return outcome;
    }

    private void append(String orderId, String type, Object payload) {
        outbox.append(jdbc.getDataSource(), new NewEvent(Topics.INVENTORY_EVENTS, type, InventoryEvents.AGGREGATE_TYPE, orderId,
                InventoryEvents.SCHEMA_VERSION, Instant.now(), payload));
    }

    /** One line per SKU (quantities of repeated SKUs added), sorted by SKU: the lock order. */
    static List<StockLine> merged(List<StockLine> lines) {
        Map<String, Integer> bySku = new TreeMap<>();
        lines.forEach(l -> bySku.merge(l.sku(), l.quantity(), Integer::sum));
        return bySku.entrySet().stream().map(e -> new StockLine(e.getKey(), e.getValue())).toList();
    }
}
