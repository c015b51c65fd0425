package io.distpatterns.geo.domain;

/**
 * Exact great-circle distances on a sphere of radius {@value #EARTH_RADIUS_METERS} m (the IUGG mean
 * Earth radius), computed from unit vectors. Ranking compares squared chord lengths, which order
 * points exactly as their great-circle distances do; only results are converted to metres.
 */
public final class GreatCircle {

    public static final double EARTH_RADIUS_METERS = 6_371_008.8;

    private GreatCircle() {
    }

    /** The unit vector {x, y, z} of a latitude/longitude in degrees. */
    public static double[] unitVector(double lat, double lon) {
        double phi = Math.toRadians(lat);
        double lambda = Math.toRadians(lon);
        double cosPhi = Math.cos(phi);
        return new double[] {cosPhi * Math.cos(lambda), cosPhi * Math.sin(lambda), Math.sin(phi)};
    }

    /** Squared chord length between two unit vectors. */
    public static double chord2(double ax, double ay, double az, double bx, double by, double bz) {
        double dx = ax - bx;
        double dy = ay - by;
        double dz = az - bz;
        return dx * dx + dy * dy + dz * dz;
    }

    /** The central angle (radians) subtended by a chord whose squared length is {@code chord2}. */
    public static double angle(double chord2) {
        return 2 * Math.asin(Math.min(1.0, Math.sqrt(chord2) / 2));
    }

    /** The squared chord length of a central angle (radians), the inverse of {@link #angle}. */
    public static double chord2OfAngle(double angle) {
        if (angle >= Math.PI) {
            return 4.0;
        }
        double chord = 2 * Math.sin(angle / 2);
        return chord * chord;
    }

    public static double metersOfChord2(double chord2) {
        return angle(chord2) * EARTH_RADIUS_METERS;
    }

    public static double angleOfMeters(double meters) {
        return meters / EARTH_RADIUS_METERS;
    }

    /** Great-circle distance in metres between two latitude/longitude pairs in degrees. */
    public static double meters(double lat1, double lon1, double lat2, double lon2) {
        double[] a = unitVector(lat1, lon1);
        double[] b = unitVector(lat2, lon2);
        return metersOfChord2(chord2(a[0], a[1], a[2], b[0], b[1], b[2]));
    }
}
