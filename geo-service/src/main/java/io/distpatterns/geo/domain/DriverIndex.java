package io.distpatterns.geo.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory index of last known driver positions, updated concurrently, answering exact
 * nearest-driver queries.
 *
 * <h2>Layout</h2>
 * A tree of H3 cells, one level per resolution of the {@link HexGrid} (default 5, 7, 9, 11). Every
 * node counts its drivers in total and per status; a node that empties is removed, so memory
 * follows the live drivers. Top-level nodes are exact H3 cells (their drivers lie inside the
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
 * older than the TTL too. A move within the same leaf and status replaces the entry in place.
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
    private final AtomicLong nodeCount = new AtomicLong();

    public DriverIndex(HexGrid grid, Duration ttl, Clock clock) {
        this.grid = grid;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.levels = grid.levels();
    }

    /** Applies an update unless it is older than the stored position or than the TTL. */
    public UpdateOutcome update(DriverPosition position) {
        long recordedAt = position.recordedAt().toEpochMilli();
        if (recordedAt < clock.millis() - ttlMillis) {
            return UpdateOutcome.EXPIRED;
        }
        Indexed next = new Indexed(position, grid.path(position.lat(), position.lon()));
        UpdateOutcome[] outcome = {UpdateOutcome.APPLIED};
        drivers.compute(position.driverId(), (id, current) -> {
            if (current != null && current.recordedAtMillis > recordedAt) {
                outcome[0] = UpdateOutcome.OUT_OF_ORDER;
                return current;
            }
            if (current != null && current.status == next.status && Arrays.equals(current.path, next.path)) {
                replaceInLeaf(current, next);
                return next;
            }
            if (current != null) {
                unlink(current);
            }
            link(next);
            return next;
        });
        return outcome[0];
    }

    /** The driver's position if it is fresh. */
    public Optional<DriverPosition> find(String driverId) {
        Indexed e = drivers.get(driverId);
        if (e == null || e.recordedAtMillis < clock.millis() - ttlMillis) {
            return Optional.empty();
        }
        return Optional.of(e.position);
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
                drivers.computeIfPresent(e.position.driverId(), (id, current) -> {
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

    /** Cells (tree nodes) held. */
    public long cellCount() {
        return nodeCount.get();
    }

    // ---- tree maintenance (always inside the driver's compute, so per driver serialised) ----

    private void link(Indexed e) {
        ConcurrentHashMap<Long, Node> map = roots;
        for (int level = 0; level < levels; level++) {
            int lv = level;
            Node node = map.compute(e.path[level], (cell, current) -> {
                Node n = current != null ? current : newNode(lv, cell, e);
                n.add(e);
                return n;
            });
            if (node.members != null) {
                node.members.put(e.position.driverId(), e);
            } else {
                map = node.children;
            }
        }
    }

    private void unlink(Indexed e) {
        Node[] path = pathOf(e);
        path[levels - 1].members.remove(e.position.driverId(), e);
        for (int level = levels - 1; level >= 0; level--) {
            ConcurrentHashMap<Long, Node> map = level == 0 ? roots : path[level - 1].children;
            map.computeIfPresent(e.path[level], (cell, node) -> {
                node.remove(e);
                if (node.counts.get(TOTAL) == 0) {
                    nodeCount.decrementAndGet();
                    return null;
                }
                return node;
            });
        }
    }

    private void replaceInLeaf(Indexed current, Indexed next) {
        Node[] path = pathOf(current);
        for (Node node : path) {
            node.grow(next);
        }
        path[levels - 1].members.put(next.position.driverId(), next);
    }

    private Node[] pathOf(Indexed e) {
        Node[] path = new Node[levels];
        ConcurrentHashMap<Long, Node> map = roots;
        for (int level = 0; level < levels; level++) {
            path[level] = map.get(e.path[level]);
            if (path[level] == null) {
                throw new IllegalStateException("index corrupt: no node for " + e.position.driverId() + " at level " + level);
            }
            map = path[level].children;
        }
        return path;
    }

    private Node newNode(int level, long cell, Indexed first) {
        nodeCount.incrementAndGet();
        boolean leaf = level == levels - 1;
        if (level == 0) {
            HexGrid.TopCell top = grid.top(cell);
            return new Node(top.x(), top.y(), top.z(), top.capAngle(), leaf);
        }
        return new Node(first.x, first.y, first.z, 0, leaf);
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
            Node root = roots.get(top.cell());
            if (root != null && root.counts.get(statusSlot) > 0) {
                if (root.members != null) {
                    scan(root);
                } else {
                    expand(root);
                }
            }
        }

        void expand(Node node) {
            for (Node child : node.children.values()) {
                if (child.counts.get(statusSlot) > 0) {
                    double lb = lowerBound(child.ax, child.ay, child.az, child.radius);
                    if (lb <= threshold()) {
                        frontier.add(new Candidate(lb, null, child));
                    }
                }
            }
        }

        void scan(Node leaf) {
            for (Indexed e : leaf.members.values()) {
                if (e.status == status && e.recordedAtMillis >= freshCutoff) {
                    double c2 = GreatCircle.chord2(qx, qy, qz, e.x, e.y, e.z);
                    if (c2 <= radiusChord2) {
                        best.offer(c2, e.position);
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
                Comparator.comparingDouble(Hit::chord2).thenComparing(h -> h.position().driverId());

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
            Hit hit = new Hit(chord2, position);
            if (heap.size() < limit) {
                heap.add(hit);
            } else if (ORDER.compare(hit, heap.peek()) < 0) {
                heap.poll();
                heap.add(hit);
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

        record Hit(double chord2, DriverPosition position) {
        }
    }

    /** A stored position with what the index needs precomputed. */
    private static final class Indexed {
        final DriverPosition position;
        final DriverStatus status;
        final long recordedAtMillis;
        final double x;
        final double y;
        final double z;
        final long[] path;

        Indexed(DriverPosition position, long[] path) {
            this.position = position;
            this.status = position.status();
            this.recordedAtMillis = position.recordedAt().toEpochMilli();
            double[] v = GreatCircle.unitVector(position.lat(), position.lon());
            this.x = v[0];
            this.y = v[1];
            this.z = v[2];
            this.path = path;
        }
    }

    /** One cell of the tree. Counts change only under the parent map's lock for this cell. */
    private static final class Node {
        final double ax;
        final double ay;
        final double az;
        volatile double radius;
        final AtomicIntegerArray counts = new AtomicIntegerArray(1 + DriverStatus.values().length);
        final ConcurrentHashMap<Long, Node> children;
        final ConcurrentHashMap<String, Indexed> members;

        Node(double ax, double ay, double az, double radius, boolean leaf) {
            this.ax = ax;
            this.ay = ay;
            this.az = az;
            this.radius = radius;
            this.children = leaf ? null : new ConcurrentHashMap<>(8);
            this.members = leaf ? new ConcurrentHashMap<>(8) : null;
        }

        void add(Indexed e) {
            grow(e);
            counts.incrementAndGet(TOTAL);
            counts.incrementAndGet(1 + e.status.ordinal());
        }

        void remove(Indexed e) {
            counts.decrementAndGet(TOTAL);
            counts.decrementAndGet(1 + e.status.ordinal());
        }

        /** Widens the radius so that it covers {@code e}; never shrinks, so it stays a valid bound. */
        void grow(Indexed e) {
            double a = GreatCircle.angle(GreatCircle.chord2(ax, ay, az, e.x, e.y, e.z));
            if (a > radius) {
                synchronized (this) {
                    if (a > radius) {
                        radius = a;
                    }
                }
            }
        }
    }
}
