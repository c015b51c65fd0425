package io.distpatterns.geo.domain;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-memory index of last known driver positions, updated concurrently, answering exact
 * nearest-driver queries.
 *
 * <h2>Layout</h2>
 * A tree of H3 cells, one level per resolution of the {@link HexGrid} (default 5, 7, 9, 11). Every
 * node counts its drivers in total and per status; a node that empties is removed, so memory
 * follows the live drivers. Children and leaf members are small arrays, copied on write. Top-level nodes are exact H3 cells (their drivers lie inside the
 * cell's enclosing cap). Deeper nodes bound their own content: an anchor (their first driver) and
 * a radius that only grows, so a lower bound on the distance to anything inside is always valid
 * whatever the shape of the cell. A dense city centre therefore splits into fine leaves (res 11:
 * about 25 m edges) and a query reads only the few leaves near it: scans stay bounded under hot spots.
 *
 * <h2>Search</h2>
 * Ring by ring outwards from the query's top cell (through each cell's neighbours), always taking
 * next the cell or node with the smallest lower bound on its distance to the query point. Statuses
 * and freshness are filtered while scanning leaves, before the limit. The search stops when the
 * next lower bound exceeds the radius or, once {@code limit} hits are held, the k-th best exact
 * distance: nothing unread can be closer, so the answer is final. Correct across the antimeridian
 * and at the poles because all geometry is on unit vectors and H3 cells tile the whole sphere.
 *
 * <h2>Updates</h2>
 * Per driver, updates are serialised; an update recorded before the stored one is ignored, one
 * older than the TTL too. The common report, a driver a few metres from where it was, is served
 * without H3 and without touching the tree's structure: while the driver stays within one leaf
 * edge of its leaf's anchor (or inside the leaf's bound) and surely inside its top cell, its
 * entry is rewritten in place (see {@code staysInLeaf}). Otherwise H3 gives the new cells (one
 * call if the top cell is surely unchanged) and the driver moves under the top node's lock.
 */
public final class DriverIndex {

    /** Lower bounds are loosened by this much (about 6 mm) against rounding. */
    private static final double BOUND_SLACK_RADIANS = 1e-9;
    private static final int TOTAL = 0;

    private final HexGrid grid;
    private final Clock clock;
    private final long ttlMillis;
    private final int levels;
    private final ConcurrentHashMap<String, Indexed> drivers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Node> roots = new ConcurrentHashMap<>();
    private final LongAdder nodeCount = new LongAdder();
    private final LongAdder stickyUpdates = new LongAdder();
    private final double stickChord2;

    public DriverIndex(HexGrid grid, Duration ttl, Clock clock) {
        this.grid = grid;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.levels = grid.levels();
        this.stickChord2 = GreatCircle.chord2OfAngle(grid.leafEdgeAngle());
    }

    /** Applies an update unless it is older than the stored position or than the TTL. */
    public UpdateOutcome update(DriverPosition position) {
        long recordedAt = position.recordedAt().toEpochMilli();
        if (recordedAt < clock.millis() - ttlMillis) {
            return UpdateOutcome.EXPIRED;
        }
        Indexed next = new Indexed(position);
        drivers.compute(position.driverId(), (id, current) -> apply(current, next));
        return next.applied ? UpdateOutcome.APPLIED : UpdateOutcome.OUT_OF_ORDER;
    }

    /** Runs inside the driver's {@code compute}: per driver, updates are serialised. */
    private Indexed apply(Indexed current, Indexed next) {
        if (current == null) {
            next.applied = true;
            link(next, grid.path(next.lat, next.lon));
            return next;
        }
        if (current.recordedAtMillis > next.recordedAtMillis) {
            return current;
        }
        next.applied = true;
        Node leaf = current.leaf;
        if (current.status == next.status && staysInLeaf(leaf, next)) {
            stickyUpdates.increment();
            return replaceInLeaf(current, next);
        }
        Node root = rootOf(leaf);
        long[] path = root.top.surelyContains(next.x, next.y, next.z)
                ? grid.path(next.lat, next.lon, root.cell)
                : grid.path(next.lat, next.lon);
        if (root.cell == path[0] && current.status == next.status && leaf.cell == path[levels - 1]) {
            return replaceInLeaf(current, next);
        } else if (root.cell == path[0]) {
            synchronized (root) {
                // the root is alive: it holds this driver
                unlinkBelow(root, current);
                root.remove(current);
                root.add(next);
                linkBelow(root, next, path);
            }
        } else {
            unlink(current);
            link(next, path);
        }
        return next;
    }

    /**
     * The fast path, without H3: a driver may stay in its leaf while it is within one leaf edge
     * length of the leaf's anchor (or inside the leaf's present bound, if wider), provided it surely
     * stays inside its top cell (inner cap). Only the top level must hold exactly the points of its
     * H3 cell; every deeper node bounds its content itself (anchor and growing radius), so a driver
     * sitting a few metres beyond its leaf's hexagon keeps every bound valid and every answer exact.
     * Leaves stay within about two edges of their anchor, as fine as before.
     */
    private boolean staysInLeaf(Node leaf, Indexed next) {
        double c2 = GreatCircle.chord2(leaf.ax, leaf.ay, leaf.az, next.x, next.y, next.z);
        if (c2 > stickChord2 && c2 > leaf.coverChord2) {
            return false;
        }
        return rootOf(leaf).top.surelyContains(next.x, next.y, next.z);
    }

    private static Node rootOf(Node node) {
        Node root = node;
        while (root.parent != null) {
            root = root.parent;
        }
        return root;
    }

    /** The driver's position if it is fresh. */
    public Optional<DriverPosition> find(String driverId) {
        Indexed e = drivers.get(driverId);
        if (e == null) {
            return Optional.empty();
        }
        Snapshot s = e.snapshot(new Snapshot());
        if (s.recordedAtMillis < clock.millis() - ttlMillis) {
            return Optional.empty();
        }
        return Optional.of(s.position(e));
    }

    /** The {@code limit} nearest fresh drivers in the query's status within its radius, nearest first (ties by id). */
    public List<NearbyDriver> nearby(NearbyQuery query) {
        double[] q = GreatCircle.unitVector(query.lat(), query.lon());
        Search search = new Search(q, query, clock.millis() - ttlMillis);
        long start = grid.topCellOf(query.lat(), query.lon());
        search.visited.add(start);
        search.frontier.add(new Candidate(0, grid.top(start), null));
        Candidate next;
        while ((next = search.frontier.poll()) != null) {
            if (next.lowerBound > search.threshold()) {
                break;
            }
            if (next.top != null) {
                search.expandTop(next.top);
            } else if (next.node.members != null) {
                search.scan(next.node);
            } else {
                search.expand(next.node);
            }
        }
        return search.best.result();
    }

    /** Removes every position older than the TTL; returns how many. */
    public int evictExpired() {
        long cutoff = clock.millis() - ttlMillis;
        int[] evicted = {0};
        for (Indexed e : drivers.values()) {
            if (e.recordedAtMillis < cutoff) {
                drivers.computeIfPresent(e.driverId, (id, current) -> {
                    if (current.recordedAtMillis >= cutoff) {
                        return current;
                    }
                    unlink(current);
                    evicted[0]++;
                    return null;
                });
            }
        }
        return evicted[0];
    }

    /** Drivers held (fresh or not yet evicted). */
    public int size() {
        return drivers.size();
    }

    /** Updates served without H3 because the driver stayed near its leaf (see {@link #update}). */
    public long stickyUpdates() {
        return stickyUpdates.sum();
    }

    /** Cells (tree nodes) held. */
    public long cellCount() {
        return nodeCount.sum();
    }

    // ---- tree maintenance (always inside the driver's compute, so per driver serialised) ----

    /*
     * Concurrency. The roots map creates and removes top nodes; everything below a top node changes
     * under the top node's monitor (a top cell is about 250 km^2 at resolution 5, so writers rarely
     * meet), plus a leaf's own monitor for its member array, which a driver that stays in its leaf
     * takes alone (lock order: top node, then leaf). A top node that empties is marked dead and
     * removed under its monitor; a writer that finds a dead one takes a fresh one from the map.
     * Readers (queries) take no lock: arrays are copied on write and published through volatile
     * fields, counts are volatile, radii only grow.
     */

    private void link(Indexed e, long[] path) {
        Long key = key(path[0]);
        while (true) {
            Node root = roots.computeIfAbsent(key, k -> newNode(0, path[0], null, e));
            synchronized (root) {
                if (!root.dead) {
                    root.add(e);
                    linkBelow(root, e, path);
                    return;
                }
            }
        }
    }

    private void unlink(Indexed e) {
        Node root = rootOf(e.leaf);
        synchronized (root) {
            unlinkBelow(root, e);
            root.remove(e);
            if (root.total == 0) {
                root.dead = true;
                roots.remove(key(root.cell), root);
                nodeCount.decrement();
            }
        }
    }

    /** Adds {@code e} under {@code root} (whose own counts the caller keeps); holds the root's monitor. */
    private void linkBelow(Node root, Indexed e, long[] path) {
        Node node = root;
        for (int level = 1; level < levels; level++) {
            Node child = node.child(path[level]);
            if (child == null) {
                child = newNode(level, path[level], node, e);
                node.addChild(child);
            }
            child.add(e);
            node = child;
        }
        e.leaf = node;
        synchronized (node) {
            node.addMember(e);
        }
    }

    /** Removes {@code e} from the levels under {@code root} (whose own counts the caller keeps); holds the root's monitor. */
    private void unlinkBelow(Node root, Indexed e) {
        Node leaf = e.leaf;
        synchronized (leaf) {
            leaf.removeMember(e);
        }
        for (Node node = leaf; node != root; node = node.parent) {
            node.remove(e);
            if (node.total == 0) {
                node.parent.removeChild(node);
                nodeCount.decrement();
            }
        }
    }

    /**
     * Same leaf, same status: bounds widen first, then the stored entry takes the new position in
     * place (no allocation, no new reference from the long-lived tree to a young object: the
     * garbage collector has nothing to rescan). Concurrent readers use the entry's sequence lock.
     */
    private Indexed replaceInLeaf(Indexed current, Indexed next) {
        for (Node node = current.leaf; node != null; node = node.parent) {
            node.grow(next);
        }
        current.moveTo(next);
        return current;
    }

    /**
     * Map key of a cell: H3 indexes of one parent differ only in a few middle bits, which
     * {@link Long#hashCode} and the map's table mask fold onto the same bucket (all 49 children in
     * one bin); multiplying by an odd constant (a bijection) spreads them.
     */
    private static Long key(long cell) {
        return cell * 0x9E3779B97F4A7C15L;
    }

    private Node newNode(int level, long cell, Node parent, Indexed first) {
        nodeCount.increment();
        boolean leaf = level == levels - 1;
        if (level == 0) {
            HexGrid.TopCell top = grid.top(cell);
            return new Node(cell, null, top, top.x(), top.y(), top.z(), top.capAngle(), leaf);
        }
        return new Node(cell, parent, null, first.x, first.y, first.z, 0, leaf);
    }

    // ---- search ----

    private final class Search {
        final double qx;
        final double qy;
        final double qz;
        final double radiusAngle;
        final double radiusChord2;
        final int statusSlot;
        final DriverStatus status;
        final long freshCutoff;
        final TopK best;
        final PriorityQueue<Candidate> frontier = new PriorityQueue<>(64);
        final Set<Long> visited = new HashSet<>();
        final Snapshot snapshot = new Snapshot();

        Search(double[] q, NearbyQuery query, long freshCutoff) {
            this.qx = q[0];
            this.qy = q[1];
            this.qz = q[2];
            this.radiusAngle = GreatCircle.angleOfMeters(query.radiusMeters());
            this.radiusChord2 = GreatCircle.chord2OfAngle(radiusAngle);
            this.status = query.status();
            this.statusSlot = 1 + query.status().ordinal();
            this.freshCutoff = freshCutoff;
            this.best = new TopK(query.limit());
        }

        double threshold() {
            return best.full() ? Math.min(radiusAngle, best.worstAngle()) : radiusAngle;
        }

        double lowerBound(double x, double y, double z, double radius) {
            double centre = GreatCircle.angle(GreatCircle.chord2(qx, qy, qz, x, y, z));
            return Math.max(0, centre - radius - BOUND_SLACK_RADIANS);
        }

        void expandTop(HexGrid.TopCell top) {
            for (long neighbor : top.neighbors()) {
                if (visited.add(neighbor)) {
                    HexGrid.TopCell cell = grid.top(neighbor);
                    double lb = lowerBound(cell.x(), cell.y(), cell.z(), cell.capAngle());
                    if (lb <= radiusAngle) {
                        frontier.add(new Candidate(lb, cell, null));
                    }
                }
            }
            Node root = roots.get(key(top.cell()));
            if (root != null && root.count(statusSlot) > 0) {
                if (root.members != null) {
                    scan(root);
                } else {
                    expand(root);
                }
            }
        }

        void expand(Node node) {
            for (Node child : node.children) {
                if (child.count(statusSlot) > 0) {
                    double lb = lowerBound(child.ax, child.ay, child.az, child.radius);
                    if (lb <= threshold()) {
                        frontier.add(new Candidate(lb, null, child));
                    }
                }
            }
        }

        void scan(Node leaf) {
            Snapshot s = snapshot;
            for (Indexed e : leaf.members) {
                if (e.status == status && e.snapshot(s).recordedAtMillis >= freshCutoff) {
                    double c2 = GreatCircle.chord2(qx, qy, qz, s.x, s.y, s.z);
                    if (c2 <= radiusChord2) {
                        best.offer(c2, e, s);
                    }
                }
            }
        }
    }

    private record Candidate(double lowerBound, HexGrid.TopCell top, Node node) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            return Double.compare(lowerBound, o.lowerBound);
        }
    }

    /** The k best hits so far: a max-heap on (squared chord, driver id). */
    static final class TopK {
        private static final Comparator<Hit> ORDER =
                Comparator.comparingDouble(Hit::chord2).thenComparing(Hit::driverId);

        private final int limit;
        private final PriorityQueue<Hit> heap;
        private double worstAngle = Double.POSITIVE_INFINITY;

        TopK(int limit) {
            this.limit = limit;
            this.heap = new PriorityQueue<>(limit + 1, ORDER.reversed());
        }

        boolean full() {
            return heap.size() >= limit;
        }

        double worstAngle() {
            return worstAngle;
        }

        void offer(double chord2, DriverPosition position) {
            if (heap.size() < limit) {
                heap.add(new Hit(chord2, position.driverId(), position));
            } else if (worse(heap.peek(), chord2, position.driverId())) {
                heap.poll();
                heap.add(new Hit(chord2, position.driverId(), position));
            } else {
                return;
            }
            if (full()) {
                worstAngle = GreatCircle.angle(heap.peek().chord2());
            }
        }

        void offer(double chord2, Indexed e, Snapshot s) {
            if (heap.size() < limit) {
                heap.add(new Hit(chord2, e.driverId, s.position(e)));
            } else if (worse(heap.peek(), chord2, e.driverId)) {
                heap.poll();
                heap.add(new Hit(chord2, e.driverId, s.position(e)));
            } else {
                return;
            }
            if (full()) {
                worstAngle = GreatCircle.angle(heap.peek().chord2());
            }
        }

        List<NearbyDriver> result() {
            List<Hit> hits = new ArrayList<>(heap);
            hits.sort(ORDER);
            List<NearbyDriver> out = new ArrayList<>(hits.size());
            for (Hit h : hits) {
                out.add(new NearbyDriver(h.position(), GreatCircle.metersOfChord2(h.chord2())));
            }
            return out;
        }

        private static boolean worse(Hit h, double chord2, String driverId) {
            int c = Double.compare(h.chord2(), chord2);
            return c > 0 || (c == 0 && h.driverId().compareTo(driverId) > 0);
        }

        record Hit(double chord2, String driverId, DriverPosition position) {
        }
    }

    /** A consistent copy of an entry's position, read under its sequence lock; one per search, reused. */
    private static final class Snapshot {
        double lat;
        double lon;
        double x;
        double y;
        double z;
        long recordedAtMillis;
        long epochSecond;
        int nano;

        DriverPosition position(Indexed e) {
            return new DriverPosition(e.driverId, lat, lon, e.status, Instant.ofEpochSecond(epochSecond, nano));
        }
    }

    /**
     * A stored position with what the index needs precomputed. A driver that stays in its leaf is
     * moved in place ({@link #moveTo}): one writer at a time (the driver's {@code compute}), and a
     * sequence lock for lock-free readers, who retry if a move overlapped their read. Moves to
     * another leaf or status use a new entry, so a reader never meets one entry in two leaves.
     */
    private static final class Indexed {
        private static final VarHandle SEQ;

        static {
            try {
                SEQ = MethodHandles.lookup().findVarHandle(Indexed.class, "seq", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final String driverId;
        final DriverStatus status;
        /** Odd while a move is being written. */
        private volatile int seq;
        private double lat;
        private double lon;
        private double x;
        private double y;
        private double z;
        /** Read without the lock only by its writer or as a hint (eviction re-checks under the driver's lock). */
        long recordedAtMillis;
        private long epochSecond;
        private int nano;
        /** The leaf holding this entry; set before the entry is published, read under the driver's lock. */
        Node leaf;
        /** Set while applying an update carried by this (new) entry. */
        boolean applied;

        Indexed(DriverPosition position) {
            this.driverId = position.driverId();
            this.status = position.status();
            this.lat = position.lat();
            this.lon = position.lon();
            double phi = Math.toRadians(lat);
            double lambda = Math.toRadians(lon);
            double cosPhi = Math.cos(phi);
            this.x = cosPhi * Math.cos(lambda);
            this.y = cosPhi * Math.sin(lambda);
            this.z = Math.sin(phi);
            Instant at = position.recordedAt();
            this.recordedAtMillis = at.toEpochMilli();
            this.epochSecond = at.getEpochSecond();
            this.nano = at.getNano();
        }

        /** Takes the position of {@code next} (same driver, same status, same leaf); the driver's writer only. */
        void moveTo(Indexed next) {
            int s = seq;
            SEQ.setVolatile(this, s + 1);
            VarHandle.storeStoreFence();
            lat = next.lat;
            lon = next.lon;
            x = next.x;
            y = next.y;
            z = next.z;
            recordedAtMillis = next.recordedAtMillis;
            epochSecond = next.epochSecond;
            nano = next.nano;
            SEQ.setRelease(this, s + 2);
        }

        /** Fills {@code into} with a consistent copy of the position and returns it. */
        Snapshot snapshot(Snapshot into) {
            while (true) {
                int s = (int) SEQ.getAcquire(this);
                if ((s & 1) == 0) {
                    into.lat = lat;
                    into.lon = lon;
                    into.x = x;
                    into.y = y;
                    into.z = z;
                    into.recordedAtMillis = recordedAtMillis;
                    into.epochSecond = epochSecond;
                    into.nano = nano;
                    VarHandle.acquireFence();
                    if (seq == s) {
                        return into;
                    }
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * One cell of the tree. Structure and counts change under the top node's monitor, a leaf's
     * members also under the leaf's; readers see immutable arrays through volatile fields.
     */
    private static final class Node {
        private static final Node[] NO_CHILDREN = {};
        private static final Indexed[] NO_MEMBERS = {};
        private static final VarHandle RADIUS;
        private static final VarHandle COVER;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                RADIUS = lookup.findVarHandle(Node.class, "radius", double.class);
                COVER = lookup.findVarHandle(Node.class, "coverChord2", double.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long cell;
        final Node parent;
        /** Geometry of the H3 cell, top level only. */
        final HexGrid.TopCell top;
        final double ax;
        final double ay;
        final double az;
        /** Angle around the anchor holding every driver below; only grows. */
        volatile double radius;
        /** A squared chord that {@link #radius} is known to cover (raised only after it); only grows. */
        volatile double coverChord2;
        volatile int total;
        volatile int available;
        volatile int busy;
        volatile int offline;
        /** Top level: set under the monitor when the node empties; it is then out of the roots map. */
        boolean dead;
        /** Inner nodes: children, and their cells at the same index (the latter read under the lock only). */
        volatile Node[] children;
        private long[] childCells;
        /** Leaves: the entries. */
        volatile Indexed[] members;

        Node(long cell, Node parent, HexGrid.TopCell top, double ax, double ay, double az, double radius, boolean leaf) {
            this.cell = cell;
            this.parent = parent;
            this.top = top;
            this.ax = ax;
            this.ay = ay;
            this.az = az;
            this.radius = radius;
            this.children = leaf ? null : NO_CHILDREN;
            this.childCells = leaf ? null : new long[0];
            this.members = leaf ? NO_MEMBERS : null;
        }

        int count(int slot) {
            return switch (slot) {
                case TOTAL -> total;
                case 1 -> available;
                case 2 -> busy;
                default -> offline;
            };
        }

        void add(Indexed e) {
            grow(e);
            total++;
            countStatus(e.status, 1);
        }

        void remove(Indexed e) {
            total--;
            countStatus(e.status, -1);
        }

        private void countStatus(DriverStatus status, int delta) {
            switch (status) {
                case AVAILABLE -> available += delta;
                case BUSY -> busy += delta;
                case OFFLINE -> offline += delta;
            }
        }

        Node child(long childCell) {
            long[] cells = childCells;
            for (int i = 0; i < cells.length; i++) {
                if (cells[i] == childCell) {
                    return children[i];
                }
            }
            return null;
        }

        void addChild(Node child) {
            int n = childCells.length;
            long[] cells = Arrays.copyOf(childCells, n + 1);
            Node[] nodes = Arrays.copyOf(children, n + 1);
            cells[n] = child.cell;
            nodes[n] = child;
            childCells = cells;
            children = nodes;
        }

        void removeChild(Node child) {
            Node[] nodes = children;
            int i = indexOf(nodes, child);
            int n = nodes.length;
            long[] cells = Arrays.copyOf(childCells, n - 1);
            Node[] rest = Arrays.copyOf(nodes, n - 1);
            if (i < n - 1) {
                cells[i] = childCells[n - 1];
                rest[i] = nodes[n - 1];
            }
            childCells = cells;
            children = rest;
        }

        void addMember(Indexed e) {
            Indexed[] m = members;
            Indexed[] copy = Arrays.copyOf(m, m.length + 1);
            copy[m.length] = e;
            members = copy;
        }

        void removeMember(Indexed e) {
            Indexed[] m = members;
            int i = indexOf(m, e);
            Indexed[] copy = Arrays.copyOf(m, m.length - 1);
            if (i < m.length - 1) {
                copy[i] = m[m.length - 1];
            }
            members = copy;
        }

        private static int indexOf(Object[] array, Object o) {
            for (int i = 0; i < array.length; i++) {
                if (array[i] == o) {
                    return i;
                }
            }
            throw new IllegalStateException("index corrupt: entry not found in its node");
        }

        /**
         * Widens the radius so that it covers {@code e}; never shrinks, so it stays a valid bound.
         * Lock-free: both fields rise by compare-and-set, the cover only after the radius.
         */
        void grow(Indexed e) {
            double c2 = GreatCircle.chord2(ax, ay, az, e.x, e.y, e.z);
            double cover = coverChord2;
            if (c2 <= cover) {
                return;
            }
            double angle = GreatCircle.angle(c2);
            double r = radius;
            while (angle > r && !RADIUS.compareAndSet(this, r, angle)) {
                r = radius;
            }
            while (c2 > cover && !COVER.compareAndSet(this, cover, c2)) {
                cover = coverChord2;
            }
        }
    }
}
