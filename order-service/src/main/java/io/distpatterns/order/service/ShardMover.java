package io.distpatterns.order.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.order.config.ReshardProperties;
import io.distpatterns.order.domain.MoveConflictException;
import io.distpatterns.order.persistence.MoveStore;
import io.distpatterns.order.persistence.MoveStore.Move;
import io.distpatterns.order.persistence.MoveStore.MoveState;
import io.distpatterns.order.persistence.MoveStore.Unit;
import io.distpatterns.order.persistence.MoveStore.UnitStatus;
import io.distpatterns.order.persistence.OrderDirectory;
import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardDatabases.OpenShard;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.order.persistence.UnitFences;
import io.distpatterns.order.persistence.UnitTransfer;
import io.distpatterns.platform.ids.IdGenerator;
import io.distpatterns.platform.sharding.MovePlan;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.platform.sharding.StepwiseMove;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Online resharding: adds or drains a shard while orders keep flowing, one ring range (one
 * virtual node, a "unit") at a time. Per unit, with its state persisted after every phase so the
 * mover resumes where it stopped:
 *
 * <ol>
 *   <li>FROZEN: a fence on the source shard stops every write in the range (writers retry);</li>
 *   <li>COPIED: the range's customers (orders, lines, idempotency keys, outbox rows and versions)
 *       are copied to the target, identities unchanged;</li>
 *   <li>VERIFIED: row counts and checksums of both sides are equal (else copied again);</li>
 *   <li>SWITCHED: the next map epoch, which gives the range to the target, is published;</li>
 *   <li>DONE: the fence becomes MOVED at that epoch (late writers are refused and re-routed) and
 *       the customers are deleted from the source, in one source transaction.</li>
 * </ol>
 *
 * One move at a time, run by one instance (a session advisory lock in the directory database).
 * Pause takes effect between units; abort rolls the unit in progress back (target copy deleted,
 * fence lifted) and keeps the units already switched on their new shard.
 */
@Service
public class ShardMover implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShardMover.class);
    private static final long MOVER_LOCK = 7262736865L;
    private static final int MAX_VERIFY_FAILURES = 3;

    private final MoveStore store;
    private final ShardMapSource maps;
    private final ShardDatabases shards;
    private final OrderDirectory directory;
    private final IdGenerator ids;
    private final ReshardProperties properties;
    private final Map<UnitStatus, AtomicLong> unitGauges = new EnumMap<>(UnitStatus.class);
    private final AtomicLong unitsTotal = new AtomicLong();
    private final Counter customersMoved;
    private final Counter ordersCopied;
    private final Counter verifyMismatches;
    private final Timer unitPause;
    private volatile ExecutorService worker;
    private volatile boolean running;
    private Connection lockConnection;
    private int verifyFailures;
    private long resumedMove;

    ShardMover(MoveStore store, ShardMapSource maps, ShardDatabases shards, OrderDirectory directory, IdGenerator ids,
               ReshardProperties properties, MeterRegistry meters) {
        this.store = store;
        this.maps = maps;
        this.shards = shards;
        this.directory = directory;
        this.ids = ids;
        this.properties = properties;
        for (UnitStatus status : UnitStatus.values()) {
            AtomicLong value = new AtomicLong();
            unitGauges.put(status, value);
            Gauge.builder("reshard.move.units", value, AtomicLong::get).tag("status", status.name().toLowerCase())
                    .description("Units of the current (or last) move in each status").register(meters);
        }
        Gauge.builder("reshard.move.units.planned", unitsTotal, AtomicLong::get)
                .description("Units (ring ranges) of the current (or last) move").register(meters);
        customersMoved = Counter.builder("reshard.customers.moved").description("Customers copied, verified, switched and deleted from their old shard").register(meters);
        ordersCopied = Counter.builder("reshard.orders.copied").description("Orders copied to their new shard").register(meters);
        verifyMismatches = Counter.builder("reshard.verify.mismatches").description("Unit copies whose checksums differed (copied again)").register(meters);
        unitPause = Timer.builder("reshard.unit.pause").publishPercentileHistogram()
                .description("How long a unit's customers could not write: freeze to switch").register(meters);
    }

    /** What an add or a drain would do; the same object starts the move. */
    public record Request(String addShardId, String location, Integer weight, String drainShardId) {

        boolean adding() {
            return addShardId != null;
        }
    }

    /** A planned move: its steps and what moves, with the customers that exist now. */
    public record Plan(String kind, String shardId, long fromVersion, int units, double movedFraction,
                       List<MovePlan.Transfer> transfers, long customersNow, long customersToMove, List<MovePlan.RangeMove> ranges) {
    }

    private StepwiseMove stepwise(Request request, ShardMap base) {
        try {
            if (request.adding() && base.shard(request.addShardId()).filter(s -> s.state() == ShardState.JOINING).isPresent()) {
                return StepwiseMove.joining(base, request.addShardId()); // added online through shard-router
            }
            return request.adding()
                    ? StepwiseMove.adding(base, new Shard(request.addShardId(), request.location(),
                    request.weight() == null ? Shard.STANDARD_WEIGHT : request.weight(), ShardState.ACTIVE))
                    : StepwiseMove.draining(base, request.drainShardId());
        } catch (IllegalArgumentException e) {
            throw new MoveConflictException(e.getMessage());
        }
    }

    /** The plan of {@code request} against the current map (dry run): nothing changes. */
    public Plan plan(Request request) {
        ShardMap base = maps.current();
        StepwiseMove move = stepwise(request, base);
        ShardMap last = move.step(move.steps());
        MovePlan whole = MovePlan.between(base, last);
        long total = 0;
        long moving = 0;
        for (Shard shard : base.shards()) {
            List<String> customers = shards.read(shard, db -> UnitTransfer.customers(db.jdbc(), h -> true));
            total += customers.size();
            moving += customers.stream().filter(c -> !base.route(c).shardId().equals(last.route(c).shardId())).count();
        }
        List<MovePlan.RangeMove> ranges = new ArrayList<>();
        for (int k = 0; k < move.steps(); k++) {
            ranges.addAll(move.unit(k).ranges());
        }
        return new Plan(request.adding() ? "ADD" : "DRAIN", move.shard().id(), base.version(), move.steps(),
                whole.movedFraction(), whole.transfers(), total, moving, ranges);
    }

    /** Starts a move (persisted RUNNING); the mover picks it up within a poll interval. */
    public long start(Request request) {
        if (store.open().isPresent()) {
            throw new MoveConflictException("another move is open: finish, abort or wait for it first");
        }
        StepwiseMove move = stepwise(request, maps.current());
        ShardMap base = move.base();
        List<MovePlan> units = new ArrayList<>();
        for (int k = 0; k < move.steps(); k++) {
            MovePlan unit = move.unit(k);
            if (unit.ranges().size() > 1) {
                throw new IllegalStateException("step " + k + " moves " + unit.ranges().size() + " ranges, expected one");
            }
            units.add(unit);
        }
        long id = ids.nextId();
        try {
            store.create(id, request.adding() ? "ADD" : "DRAIN", move.shard().id(), move.shard().location(),
                    move.shard().weight(), base, move.tokens(), units);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new MoveConflictException("another move is open: finish, abort or wait for it first");
        }
        log.info("Move {} started: {} shard {} in {} units ({}% of the ring)", id, request.adding() ? "add" : "drain",
                move.shard().id(), units.size(), Math.round(units.stream().mapToDouble(MovePlan::movedFraction).sum() * 1000) / 10.0);
        return id;
    }

    public boolean pause(long id) {
        return store.transition(id, MoveState.PAUSED, null, MoveState.RUNNING);
    }

    public boolean resume(long id) {
        return store.transition(id, MoveState.RUNNING, null, MoveState.PAUSED);
    }

    /** Marks the move ABORTED; the mover rolls back the unit in progress (or does it now if the mover is idle). */
    public boolean abort(long id) {
        return store.transition(id, MoveState.ABORTED, "aborted by an operator", MoveState.RUNNING, MoveState.PAUSED);
    }

    /** A move with its units, for the API. */
    public Optional<MoveProgress> progress(long id) {
        return store.find(id).map(move -> MoveProgress.of(move, store.units(id), maps.current().version()));
    }

    public List<MoveProgress> recent(int limit) {
        return store.recent(limit).stream().map(m -> MoveProgress.of(m, store.units(m.id()), maps.current().version())).toList();
    }

    // ---------------------------------------------------------------- the worker

    @Override
    public void start() {
        if (!properties.moverEnabled()) {
            return;
        }
        running = true;
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shard-mover");
            t.setDaemon(true);
            return t;
        });
        worker.submit(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        ExecutorService w = worker;
        if (w != null) {
            w.shutdownNow();
            try {
                w.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        releaseLock();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped before the shard pools close (they are closed on destroy, after every lifecycle stop). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void loop() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (holdLock()) {
                    runOnce();
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Mover step failed (will retry): {}", e.toString());
                    store.open().ifPresent(m -> store.transition(m.id(), m.state(), e.toString(), m.state()));
                }
            }
            sleep(properties.pollInterval());
        }
    }

    private boolean holdLock() {
        try {
            if (lockConnection != null && lockConnection.isValid(1)) {
                return true;
            }
            releaseLock();
            // a connection of its own, not one of the directory pool's: it is held for as long as the lock
            var pool = directory.dataSource();
            Connection c = java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT pg_try_advisory_lock(" + MOVER_LOCK + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    lockConnection = c;
                    return true;
                }
            }
            c.close();
            return false;
        } catch (SQLException e) {
            releaseLock();
            return false;
        }
    }

    private void releaseLock() {
        if (lockConnection != null) {
            try {
                lockConnection.close();
            } catch (SQLException ignored) {
                // the session ends with the connection: the lock goes with it
            }
            lockConnection = null;
        }
    }

    /** Runs the open move to its end (or until paused/aborted/stopped); cleans up after an abort. */
    void runOnce() {
        for (Move aborted : store.recent(3)) {
            if (aborted.state() == MoveState.ABORTED) {
                rollBack(aborted);
            }
        }
        Optional<Move> open = store.open();
        if (open.isEmpty()) {
            startJoiningShard();
            return;
        }
        Move move = open.get();
        StepwiseMove steps = steps(move);
        List<Unit> units = store.units(move.id());
        if (resumedMove != move.id()) {
            resumedMove = move.id();
            long done = units.stream().filter(u -> u.status() == UnitStatus.DONE).count();
            if (done > 0 || units.stream().anyMatch(u -> u.status() != UnitStatus.PENDING)) {
                log.info("Move {} resumed by this instance: {} of {} units done, {} in progress", move.id(), done, units.size(),
                        units.stream().filter(u -> u.status() != UnitStatus.PENDING && u.status() != UnitStatus.DONE)
                                .map(u -> u.step() + ":" + u.status()).toList());
            }
        }
        publishGauges(units);
        for (Unit unit : units) {
            if (unit.status() == UnitStatus.DONE) {
                continue;
            }
            Move now = store.find(move.id()).orElseThrow();
            if (now.state() != MoveState.RUNNING || !running) {
                return;
            }
            runUnit(move, steps, unit);
            publishGauges(store.units(move.id()));
            if (store.unit(move.id(), unit.step()).status() != UnitStatus.DONE) {
                return; // units switch in order: this one again on the next round (copy mismatch, abort, pause, failure)
            }
            if (!properties.unitPause().isZero()) {
                sleep(properties.unitPause());
            }
        }
        if (store.units(move.id()).stream().allMatch(u -> u.status() == UnitStatus.DONE)
                && store.transition(move.id(), MoveState.COMPLETED, null, MoveState.RUNNING)) {
            log.info("Move {} completed: shard {} {}", move.id(), move.shardId(), move.adding() ? "added" : "drained");
        }
    }

    /**
     * A shard added online through shard-router ({@code POST /shards} with {@code "online": true})
     * appears JOINING in the map: the mover starts its move, unless the last move of that shard was
     * aborted or failed (then an operator restarts it with {@code POST /admin/moves}).
     */
    private void startJoiningShard() {
        ShardMap map = maps.current();
        for (Shard shard : map.shards()) {
            if (shard.state() != ShardState.JOINING) {
                continue;
            }
            boolean givenUp = store.recent(20).stream().filter(m -> m.shardId().equals(shard.id())).findFirst()
                    .map(m -> m.state() == MoveState.ABORTED || m.state() == MoveState.FAILED).orElse(false);
            if (!givenUp) {
                long id = start(new Request(shard.id(), shard.location(), shard.weight(), null));
                log.info("Move {} started for shard {}, which shard-router added online", id, shard.id());
                return;
            }
        }
    }

    private StepwiseMove steps(Move move) {
        long[] tokens = store.units(move.id()).stream().mapToLong(Unit::token).toArray();
        Shard shard = move.adding() ? new Shard(move.shardId(), move.location(), move.weight(), ShardState.ACTIVE)
                : move.base().shard(move.shardId()).orElseThrow();
        return new StepwiseMove(move.base(), shard, tokens, move.adding());
    }

    private void runUnit(Move move, StepwiseMove steps, Unit unit) {
        int k = unit.step();
        if (unit.fromShard().equals(unit.toShard())) { // nothing changes owner at this step: only the epoch
            ShardMap current = maps.current();
            long epoch = steps.isAtStep(current, k + 1) ? current.version()
                    : maps.publish(steps.step(k + 1, current.version() + 1), move.shardId(), current.version()).version();
            store.unitSwitched(move.id(), k, epoch);
            store.unitDone(move.id(), k);
            return;
        }
        ShardMap before = steps.step(k);
        ShardMap after = steps.step(k + 1);
        OpenShard source = shards.open(before.shard(unit.fromShard()).orElseThrow());
        OpenShard target = shards.open(after.shard(unit.toShard()).orElseThrow());
        UnitFences.Fence range = new UnitFences.Fence(move.id(), k, unit.fromExclusive(), unit.toInclusive(), true, 0);
        UnitStatus status = unit.status();
        Instant frozenAt = unit.frozenAt();

        if (status == UnitStatus.PENDING) {
            long epoch = maps.current().version();
            source.tx().executeWithoutResult(s -> UnitFences.freeze(source.jdbc(), move.id(), k, range.fromExclusive(),
                    range.toInclusive(), epoch, properties.fenceLockTimeout().toMillis()));
            store.unitFrozen(move.id(), k);
            frozenAt = store.unit(move.id(), k).frozenAt();
            status = UnitStatus.FROZEN;
        }
        phasePause();
        Instant keyCutoff = frozenAt.plusSeconds(UnitTransfer.KEY_EXPIRY_MARGIN_SECONDS);
        if (status == UnitStatus.FROZEN) {
            List<String> customers = customers(source, range, after, unit.toShard());
            UnitTransfer.Copied copied = UnitTransfer.copy(source.jdbc(), target.jdbc(), target.tx(), customers, keyCutoff);
            store.unitCopied(move.id(), k, customers.size(), copied.orders());
            status = UnitStatus.COPIED;
        }
        phasePause();
        if (status == UnitStatus.COPIED) {
            List<String> customers = customers(source, range, after, unit.toShard());
            String expected = UnitTransfer.checksum(source.jdbc(), customers, keyCutoff);
            String actual = UnitTransfer.checksum(target.jdbc(), customers, keyCutoff);
            if (!expected.equals(actual)) {
                verifyMismatches.increment();
                verifyFailures++;
                log.warn("Move {} unit {}: checksums differ (source {}, target {}); copying again", move.id(), k, expected, actual);
                store.unitFrozen(move.id(), k);
                if (verifyFailures >= MAX_VERIFY_FAILURES) {
                    // stop, and give the unit's customers their writes back until an operator looks
                    verifyFailures = 0;
                    undo(move, unit, source, target, range, after);
                    store.transition(move.id(), MoveState.PAUSED, "unit " + k + " failed verification "
                            + MAX_VERIFY_FAILURES + " times (rolled back): source " + expected + ", target " + actual, MoveState.RUNNING);
                }
                return;
            }
            verifyFailures = 0;
            store.unitVerified(move.id(), k, expected);
            status = UnitStatus.VERIFIED;
        }
        phasePause();
        if (status == UnitStatus.VERIFIED) {
            if (store.find(move.id()).orElseThrow().state() == MoveState.ABORTED) {
                return; // abort before the switch: rolled back by the next round
            }
            ShardMap current = maps.current();
            long epoch;
            if (steps.isAtStep(current, k + 1)) {
                epoch = current.version(); // switched before a crash, not yet recorded
            } else if (steps.isAtStep(current, k)) {
                epoch = maps.publish(steps.step(k + 1, current.version() + 1), move.shardId(), current.version()).version();
            } else {
                store.transition(move.id(), MoveState.FAILED, "the map changed under the move: shard " + move.shardId()
                        + " is at neither step " + k + " nor " + (k + 1) + " in version " + current.version(), MoveState.RUNNING, MoveState.PAUSED);
                return;
            }
            store.unitSwitched(move.id(), k, epoch);
            unit = store.unit(move.id(), k);
            status = UnitStatus.SWITCHED;
        }
        phasePause();
        if (status == UnitStatus.SWITCHED) {
            finishSwitched(move, unit, source, target, range, after);
        }
    }

    private void finishSwitched(Move move, Unit unit, OpenShard source, OpenShard target, UnitFences.Fence range, ShardMap after) {
        int k = unit.step();
        List<String> customers = customers(source, range, after, unit.toShard());
        long epoch = unit.epoch();
        source.tx().executeWithoutResult(s -> {
            UnitFences.markMoved(source.jdbc(), move.id(), k, epoch);
            UnitTransfer.carryMarksAndDelete(source.jdbc(), target.jdbc(), customers);
        });
        store.unitDone(move.id(), k);
        Unit done = store.unit(move.id(), k);
        customersMoved.increment(done.customers() == null ? 0 : done.customers());
        ordersCopied.increment(done.orders() == null ? 0 : done.orders());
        if (done.frozenAt() != null && done.switchedAt() != null) {
            unitPause.record(Duration.between(done.frozenAt(), done.switchedAt()));
        }
    }

    /** Undoes the units of an aborted move that did not switch; finishes those that did. */
    private void rollBack(Move move) {
        List<Unit> units = store.units(move.id());
        if (units.stream().allMatch(u -> u.status() == UnitStatus.PENDING || u.status() == UnitStatus.DONE)) {
            return;
        }
        StepwiseMove steps = steps(move);
        for (Unit unit : units) {
            if (unit.status() == UnitStatus.PENDING || unit.status() == UnitStatus.DONE) {
                continue;
            }
            int k = unit.step();
            if (unit.fromShard().equals(unit.toShard())) { // moved no data: done if switched, else nothing to undo
                if (unit.status() == UnitStatus.SWITCHED) {
                    store.unitDone(move.id(), k);
                }
                continue;
            }
            ShardMap after = steps.step(k + 1);
            OpenShard source = shards.open(steps.step(k).shard(unit.fromShard()).orElseThrow());
            OpenShard target = shards.open(after.shard(unit.toShard()).orElseThrow());
            UnitFences.Fence range = new UnitFences.Fence(move.id(), k, unit.fromExclusive(), unit.toInclusive(), true, 0);
            if (unit.status() == UnitStatus.VERIFIED && steps.isAtStep(maps.current(), k + 1)) {
                store.unitSwitched(move.id(), k, maps.current().version());
                unit = store.unit(move.id(), k);
            }
            if (unit.status() == UnitStatus.SWITCHED) {
                finishSwitched(move, unit, source, target, range, after);
                continue;
            }
            int kept = undo(move, unit, source, target, range, after);
            log.info("Move {} aborted: unit {} rolled back ({} customers stay on {})", move.id(), k, kept, unit.fromShard());
        }
        publishGauges(store.units(move.id()));
    }

    /** Rolls a unit that did not switch back: the target copy deleted, the fence lifted, the unit PENDING. */
    private int undo(Move move, Unit unit, OpenShard source, OpenShard target, UnitFences.Fence range, ShardMap after) {
        String[] customers = customers(source, range, after, unit.toShard()).toArray(String[]::new);
        target.tx().executeWithoutResult(s -> UnitTransfer.delete(target.jdbc(), customers));
        source.tx().executeWithoutResult(s -> UnitFences.lift(source.jdbc(), move.id(), unit.step()));
        store.unitReset(move.id(), unit.step());
        return customers.length;
    }

    /** The customers of the unit: on the source, in the range, and owned by the target after the step (pins stay). */
    private static List<String> customers(OpenShard source, UnitFences.Fence range, ShardMap after, String target) {
        return UnitTransfer.customers(source.jdbc(), range::covers).stream()
                .filter(c -> after.route(c).shardId().equals(target)).toList();
    }

    private void publishGauges(List<Unit> units) {
        unitsTotal.set(units.size());
        Map<UnitStatus, Long> counts = new EnumMap<>(UnitStatus.class);
        units.forEach(u -> counts.merge(u.status(), 1L, Long::sum));
        unitGauges.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
    }

    /** Between two phases of a unit: a stopping mover leaves the unit here, as a crash would (the next run resumes it). */
    private void phasePause() {
        if (!properties.phasePause().isZero()) {
            sleep(properties.phasePause());
        }
        if (!running) {
            throw new IllegalStateException("mover stopped in the middle of a unit");
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
