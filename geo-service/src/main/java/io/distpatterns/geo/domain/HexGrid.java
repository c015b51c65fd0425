package io.distpatterns.geo.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import com.uber.h3core.H3Core;
import com.uber.h3core.LengthUnit;
import com.uber.h3core.util.LatLng;

/**
 * The H3 cells the index is keyed by, from the coarsest ("top") resolution to the finest ("leaf").
 *
 * <p>A position's top cell and leaf cell come from {@code latLngToCell} (true containment); the
 * levels between are the leaf's H3 ancestors, derived with bit operations. Top cells are the only
 * ones whose geometry the search relies on, so their centre, an enclosing cap and their neighbours
 * are computed once and cached ({@link TopCell}); deeper levels bound their content themselves.
 */
public final class HexGrid {

    /** Enclosing-cap safety factor over the farthest boundary vertex, plus an absolute margin (~0.6 m). */
    private static final double CAP_FACTOR = 1.02;
    private static final double CAP_MARGIN_RADIANS = 1e-7;

    private final H3Core h3;
    private final int[] resolutions;
    private final ConcurrentHashMap<Long, TopCell> topCells = new ConcurrentHashMap<>();
    private final double leafEdgeAngle;

    /** Inner-cap safety: shrink the exact inscribed angle by this factor and margin (~0.6 m). */
    private static final double INNER_FACTOR = 0.99;

    /**
     * A top-level cell: centre as a unit vector, the angle of a cap around it holding the whole cell,
     * the squared chord of a cap around the centre that lies wholly inside the cell (a point within it
     * is in this cell without asking H3; 0 if none), neighbours.
     */
    public record TopCell(long cell, double x, double y, double z, double capAngle, double innerChord2, long[] neighbors) {

        /** True only if the unit vector surely lies in this cell (inside its inner cap); false means "ask H3". */
        public boolean surelyContains(double px, double py, double pz) {
            return GreatCircle.chord2(x, y, z, px, py, pz) <= innerChord2;
        }
    }

    public HexGrid(List<Integer> resolutions) {
        if (resolutions.isEmpty()) {
            throw new IllegalArgumentException("at least one resolution is needed");
        }
        this.resolutions = resolutions.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < this.resolutions.length; i++) {
            int r = this.resolutions[i];
            if (r < 0 || r > 15 || (i > 0 && r <= this.resolutions[i - 1])) {
                throw new IllegalArgumentException("resolutions must ascend within 0..15: " + resolutions);
            }
        }
        try {
            this.h3 = H3Core.newInstance();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the H3 native library", e);
        }
        this.leafEdgeAngle = GreatCircle.angleOfMeters(
                h3.getHexagonEdgeLengthAvg(this.resolutions[this.resolutions.length - 1], LengthUnit.m));
    }

    /** The average hexagon edge (= circumradius) at the leaf resolution, as a central angle. */
    public double leafEdgeAngle() {
        return leafEdgeAngle;
    }

    public int levels() {
        return resolutions.length;
    }

    public int[] resolutions() {
        return Arrays.copyOf(resolutions, resolutions.length);
    }

    /** The cell of (lat, lon) at every level, top first. */
    public long[] path(double lat, double lon) {
        return path(lat, lon, h3.latLngToCell(lat, lon, resolutions[0]));
    }

    /** As {@link #path(double, double)}, the top cell being known already (one H3 call fewer). */
    public long[] path(double lat, double lon, long topCell) {
        int levels = resolutions.length;
        long[] path = new long[levels];
        path[0] = topCell;
        if (levels > 1) {
            long leaf = h3.latLngToCell(lat, lon, resolutions[levels - 1]);
            path[levels - 1] = leaf;
            for (int i = 1; i < levels - 1; i++) {
                path[i] = parent(leaf, resolutions[i]);
            }
        }
        return path;
    }

    public long topCellOf(double lat, double lon) {
        return h3.latLngToCell(lat, lon, resolutions[0]);
    }

    /** The cached geometry of a top-level cell. */
    public TopCell top(long cell) {
        TopCell cached = topCells.get(cell);
        return cached != null ? cached : topCells.computeIfAbsent(cell, this::computeTop);
    }

    private TopCell computeTop(long cell) {
        LatLng center = h3.cellToLatLng(cell);
        double[] c = GreatCircle.unitVector(center.lat, center.lng);
        List<LatLng> boundary = h3.cellToBoundary(cell);
        double maxChord2 = 0;
        double[][] vertices = new double[boundary.size()][];
        for (int i = 0; i < vertices.length; i++) {
            double[] v = GreatCircle.unitVector(boundary.get(i).lat, boundary.get(i).lng);
            vertices[i] = v;
            maxChord2 = Math.max(maxChord2, GreatCircle.chord2(c[0], c[1], c[2], v[0], v[1], v[2]));
        }
        double cap = GreatCircle.angle(maxChord2) * CAP_FACTOR + CAP_MARGIN_RADIANS;
        double inner = Math.max(0, innerAngle(c, vertices) * INNER_FACTOR - CAP_MARGIN_RADIANS);
        long[] neighbors = h3.gridDisk(cell, 1).stream().mapToLong(Long::longValue).filter(n -> n != cell).toArray();
        return new TopCell(cell, c[0], c[1], c[2], cap, GreatCircle.chord2OfAngle(inner), neighbors);
    }

    /**
     * A lower bound on the angle from the centre {@code c} to the cell's boundary: the smallest
     * angle from {@code c} to the great circle through any two consecutive boundary vertices. H3
     * cell edges are straight in the gnomonic projection of an icosahedron face, i.e. great-circle
     * arcs (edges crossing a face edge come with an extra vertex there), so no point closer to the
     * centre than this can lie outside the cell: the arc from the centre to it would have to cross
     * an edge's great circle closer than that.
     */
    static double innerAngle(double[] c, double[][] vertices) {
        double min = Math.PI / 2;
        for (int i = 0; i < vertices.length; i++) {
            double[] a = vertices[i];
            double[] b = vertices[(i + 1) % vertices.length];
            double nx = a[1] * b[2] - a[2] * b[1];
            double ny = a[2] * b[0] - a[0] * b[2];
            double nz = a[0] * b[1] - a[1] * b[0];
            double norm = Math.sqrt(nx * nx + ny * ny + nz * nz);
            if (norm == 0) {
                continue;
            }
            double sin = Math.abs(c[0] * nx + c[1] * ny + c[2] * nz) / norm;
            min = Math.min(min, Math.asin(Math.min(1.0, sin)));
        }
        return min;
    }

    /**
     * The H3 ancestor of {@code cell} at resolution {@code res}, by the index's bit layout: the
     * resolution field (bits 52-55) is set to {@code res} and every digit finer than it
     * (3 bits each, digit r at bit {@code (15 - r) * 3}) to 7, "unused".
     */
    public static long parent(long cell, int res) {
        int cellRes = (int) ((cell >>> 52) & 0xF);
        if (res > cellRes) {
            throw new IllegalArgumentException("resolution " + res + " is finer than the cell's " + cellRes);
        }
        long p = (cell & ~(0xFL << 52)) | ((long) res << 52);
        for (int r = res + 1; r <= cellRes; r++) {
            p |= 7L << ((15 - r) * 3);
        }
        return p;
    }

    /** For tests: H3's own answer. */
    long h3Parent(long cell, int res) {
        return h3.cellToParent(cell, res);
    }

    /** For tests: H3's own containing cell at the given resolution. */
    long h3Cell(double lat, double lon, int res) {
        return h3.latLngToCell(lat, lon, res);
    }

    /** Number of top-level cells whose geometry is cached (bounded by the area ever queried or written). */
    public int cachedTopCells() {
        return topCells.size();
    }
}
