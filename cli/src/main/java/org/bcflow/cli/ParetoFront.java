package org.bcflow.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto front of explored design points: the ones no other fitting point beats on both
 * accuracy and throughput. Logic cells are not an objective here (a point either fits the device
 * or it does not); they only size the circles of {@link ParetoChart}.
 */
final class ParetoFront {
    private ParetoFront() {
    }

    /**
     * One explored design point as the Pareto view sees it: higher accuracy and more images/s are better.
     *
     * @param accuracy hardware-exact test accuracy, 0..1 (NaN: not finished)
     * @param imagesPerSecond placed and routed Fmax / cycles per image (NaN: not finished)
     * @param fits whether the design fits the device
     */
    record Point(String label, double accuracy, double imagesPerSecond, long logicCells, boolean fits) {
        /** Fits the device and has both objectives (an unfinished point has NaN ones). */
        boolean candidate() {
            return fits && Double.isFinite(accuracy) && Double.isFinite(imagesPerSecond);
        }

        /** At least as good on both objectives and strictly better on one. */
        boolean dominates(Point o) {
            return accuracy >= o.accuracy && imagesPerSecond >= o.imagesPerSecond
                    && (accuracy > o.accuracy || imagesPerSecond > o.imagesPerSecond);
        }
    }

    /**
     * The non-dominated points among the candidates, sorted by images/s ascending (then by
     * accuracy descending, then by label, so the order does not depend on the input's).
     * Exact duplicates dominate neither each other, so both stay.
     */
    static List<Point> front(List<Point> points) {
        List<Point> candidates = points.stream().filter(Point::candidate).toList();
        List<Point> front = new ArrayList<>();
        // quadratic, but a sweep has tens or hundreds of points, not millions
        for (Point p : candidates) {
            if (candidates.stream().noneMatch(q -> q.dominates(p))) {
                front.add(p);
            }
        }
        front.sort(Comparator.comparingDouble(Point::imagesPerSecond)
                .thenComparing(Comparator.comparingDouble(Point::accuracy).reversed())
                .thenComparing(Point::label, Comparator.nullsFirst(Comparator.naturalOrder())));
        return front;
    }
}
