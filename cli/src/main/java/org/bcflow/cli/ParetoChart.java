package org.bcflow.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The explored design points as a PNG: accuracy against images/s (log scale), one circle per
 * point with its area proportional to logic cells, the Pareto front as a labelled line, points
 * that do not fit the device as hollow grey circles. Drawn with JFreeChart, headless, written
 * atomically.
 */
final class ParetoChart {
    static final int WIDTH = 1200;
    static final int HEIGHT = 800;
    /** The front's line, rings and labels: a warm colour the blue design points never take. */
    static final Color FRONT_COLOUR = new Color(214, 72, 20);
    private static final Color DESIGN_COLOUR = new Color(31, 96, 170);
    private static final Color NOT_FIT_COLOUR = new Color(150, 150, 150);
    /** Circle diameters in pixels: the largest design gets the maximum, none less than the minimum. */
    static final double MAX_DIAMETER = 28;
    static final double MIN_DIAMETER = 6;

    // series indices; all three always exist (perhaps empty) so the renderer's settings stay put
    private static final int NOT_FIT = 0;
    private static final int DESIGN = 1;
    private static final int FRONT = 2;

    private ParetoChart() {
    }

    /**
     * Draws {@code points} to {@code png} (1200x800). Points without a finite accuracy or a
     * positive finite images/s (unfinished ones) are counted in the subtitle but not drawn; with
     * none left the chart says so.
     */
    static void write(List<ParetoFront.Point> points, String title, Path png) {
        headless();
        List<ParetoFront.Point> drawn = points.stream().filter(ParetoChart::drawable).toList();
        // the front of what is drawn, so that every front point has a place on the log axis
        List<ParetoFront.Point> front = ParetoFront.front(drawn);
        List<ParetoFront.Point> notFit = drawn.stream().filter(p -> !p.fits()).toList();
        List<ParetoFront.Point> fit = drawn.stream().filter(ParetoFront.Point::fits).toList();
        long maxCells = drawn.stream().mapToLong(ParetoFront.Point::logicCells).max().orElse(0);

        List<List<ParetoFront.Point>> bySeries = List.of(notFit, fit, front);
        XYSeriesCollection data = new XYSeriesCollection();
        String[] names = {"does not fit", "design points (area = logic cells)", "Pareto front"};
        for (int s = 0; s < bySeries.size(); s++) {
            // kept in insertion order: the renderer finds each circle's size by item index
            XYSeries series = new XYSeries(names[s], false, true);
            for (ParetoFront.Point p : bySeries.get(s)) {
                series.add(p.imagesPerSecond(), 100 * p.accuracy());
            }
            data.addSeries(series);
        }

        ImagesPerSecondAxis x = new ImagesPerSecondAxis("images per second (placed and routed Fmax / cycles per image)");
        NumberAxis y = new NumberAxis("hardware-exact test accuracy (%)");
        y.setAutoRangeIncludesZero(false);
        // room above the front for its labels; a single accuracy still gets a readable span
        y.setUpperMargin(0.10);
        y.setLowerMargin(0.06);
        y.setAutoRangeMinimumSize(1.0);
        x.setRange(throughputRange(drawn));
        if (drawn.isEmpty()) {
            y.setRange(90, 100);
        }
        y.setTickUnit(accuracyTicks(drawn));

        SizedCircles renderer = new SizedCircles(bySeries, maxCells);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // the front on top
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setNoDataMessage("no finished points");
        plot.setNoDataMessageFont(new Font("SansSerif", Font.BOLD, 24));
        plot.setNoDataMessagePaint(Color.DARK_GRAY);
        plot.addAnnotation(new FrontLabels(drawn, front, renderer));

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, !drawn.isEmpty());
        chart.setBackgroundPaint(Color.WHITE);
        if (!drawn.isEmpty()) {
            // legend in reading order (design points, front, does not fit), not drawing order
            LegendItemCollection legend = new LegendItemCollection();
            legend.add(renderer.getLegendItem(0, DESIGN));
            legend.add(renderer.getLegendItem(0, FRONT));
            if (!notFit.isEmpty()) {
                legend.add(renderer.getLegendItem(0, NOT_FIT));
            }
            plot.setFixedLegendItems(legend);
        }
        chart.addSubtitle(new TextTitle(subtitle(points.size(), drawn, front.size(), notFit.size()),
                new Font("SansSerif", Font.PLAIN, 13)));

        try {
            AtomicFiles.write(png, ChartUtils.encodeAsPNG(chart.createBufferedImage(WIDTH, HEIGHT)));
        } catch (IOException e) {
            throw new BcflowException("cannot write " + png + ": " + e.getMessage());
        }
    }

    /** Can be placed on the chart: a finite accuracy and a positive finite images/s (log axis). */
    private static boolean drawable(ParetoFront.Point p) {
        return Double.isFinite(p.accuracy()) && Double.isFinite(p.imagesPerSecond()) && p.imagesPerSecond() > 0;
    }

    /**
     * The images/s axis: the points' span padded on both sides, at least a decade wide so that it
     * has ticks to read; with no points, the span of a real sweep around the message.
     */
    private static Range throughputRange(List<ParetoFront.Point> drawn) {
        double lo = Math.log10(drawn.stream().mapToDouble(ParetoFront.Point::imagesPerSecond).min().orElse(1e3));
        double hi = Math.log10(drawn.stream().mapToDouble(ParetoFront.Point::imagesPerSecond).max().orElse(1e6));
        if (hi - lo < 1) {
            double mid = (lo + hi) / 2;
            lo = mid - 0.5;
            hi = mid + 0.5;
        }
        double pad = 0.05 * (hi - lo);
        return new Range(Math.pow(10, lo - pad), Math.pow(10, hi + pad));
    }

    /**
     * About ten ticks at 1, 2 or 5 times a power of ten over the accuracies: the axis's own
     * choice packs as many as fit the height, which is too many to read.
     */
    private static NumberTickUnit accuracyTicks(List<ParetoFront.Point> drawn) {
        double lo = drawn.stream().mapToDouble(p -> 100 * p.accuracy()).min().orElse(90);
        double hi = drawn.stream().mapToDouble(p -> 100 * p.accuracy()).max().orElse(100);
        double rough = Math.max(hi - lo, 1.0) / 10;
        double decade = Math.pow(10, Math.floor(Math.log10(rough)));
        double unit = rough <= decade ? decade : rough <= 2 * decade ? 2 * decade : rough <= 5 * decade ? 5 * decade : 10 * decade;
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(unit) + 1e-9));
        DecimalFormat format = new DecimalFormat(decimals == 0 ? "0" : "0." + "0".repeat(decimals),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        return new NumberTickUnit(unit, format);
    }

    private static String subtitle(int all, List<ParetoFront.Point> drawn, int onFront, int notFit) {
        StringBuilder s = new StringBuilder(count(all, "point", "points"));
        s.append(", ").append(onFront).append(" on the front");
        if (notFit > 0) {
            s.append(", ").append(notFit).append(notFit == 1 ? " does not fit" : " do not fit");
        }
        int unfinished = all - drawn.size();
        if (unfinished > 0) {
            s.append(", ").append(unfinished).append(" without a placed design (not drawn)");
        }
        long lo = drawn.stream().mapToLong(ParetoFront.Point::logicCells).min().orElse(0);
        long hi = drawn.stream().mapToLong(ParetoFront.Point::logicCells).max().orElse(0);
        if (hi > 0) {
            s.append(String.format(Locale.ROOT, lo == hi ? "; circle area = logic cells, %,d" : "; circle area = logic cells, %,d to %,d",
                    lo, hi));
        }
        return s.toString();
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** 2000 as "2k", 1e6 as "1M": what an engineer reads off a throughput axis. */
    static String shortNumber(double v) {
        DecimalFormat f = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        if (v >= 1e9) {
            return f.format(v / 1e9) + "G";
        }
        if (v >= 1e6) {
            return f.format(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return f.format(v / 1e3) + "k";
        }
        return f.format(v);
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * Circles whose area follows logic cells. A bubble renderer would size them in data units,
     * which on a log axis means nothing; here the size is in pixels.
     */
    private static final class SizedCircles extends XYLineAndShapeRenderer {
        private static final long serialVersionUID = 1L;
        private final transient List<List<ParetoFront.Point>> bySeries;
        private final long maxCells;

        SizedCircles(List<List<ParetoFront.Point>> bySeries, long maxCells) {
            super(false, true);
            this.bySeries = bySeries;
            this.maxCells = maxCells;
            setSeriesLinesVisible(FRONT, true);
            setUseFillPaint(true);
            setDrawOutlines(true);

            setSeriesPaint(NOT_FIT, NOT_FIT_COLOUR);
            setSeriesShapesFilled(NOT_FIT, false);
            setSeriesOutlineStroke(NOT_FIT, new BasicStroke(1.5f));

            // semi-transparent so that overlapping designs stay visible through each other
            setSeriesPaint(DESIGN, withAlpha(DESIGN_COLOUR, 200));
            setSeriesFillPaint(DESIGN, withAlpha(DESIGN_COLOUR, 80));
            setSeriesShapesFilled(DESIGN, true);
            setSeriesOutlineStroke(DESIGN, new BasicStroke(1f));

            // the front: a line through its points and a ring around each of their circles
            setSeriesPaint(FRONT, FRONT_COLOUR);
            setSeriesShapesFilled(FRONT, false);
            setSeriesStroke(FRONT, new BasicStroke(2f));
            setSeriesOutlineStroke(FRONT, new BasicStroke(2f));

            Shape legendCircle = circle(10);
            for (int s = 0; s < 3; s++) {
                setLegendShape(s, legendCircle);
            }
        }

        @Override
        public Shape getItemShape(int series, int item) {
            return circle(diameter(bySeries.get(series).get(item)));
        }

        double diameter(ParetoFront.Point p) {
            if (maxCells <= 0 || p.logicCells() <= 0) {
                return MIN_DIAMETER;
            }
            // area proportional to logic cells, so the diameter to their square root
            return Math.max(MIN_DIAMETER, MAX_DIAMETER * Math.sqrt((double) p.logicCells() / maxCells));
        }

        private static Shape circle(double d) {
            return new Ellipse2D.Double(-d / 2, -d / 2, d, d);
        }

        private static Color withAlpha(Color c, int alpha) {
            return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
        }
    }

    /**
     * Log axis with ticks at 1, 2 and 5 times powers of ten, labelled 1k, 2k, 5k, 10k... rather
     * than JFreeChart's 10^3, 10^4 (a sweep often spans only two decades, which would leave two
     * ticks).
     */
    private static final class ImagesPerSecondAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        ImagesPerSecondAxis(String label) {
            super(label);
            setSmallestValue(1e-3);
        }

        @Override
        public List<NumberTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            double lo = getLowerBound();
            double hi = getUpperBound();
            // fewer labels on a wide span, more on a narrow one; always at least two ticks
            List<NumberTick> ticks = ticks(lo, hi, Math.log10(hi / lo) > 4 ? new double[] {1} : new double[] {1, 2, 5}, edge);
            if (ticks.size() < 2) {
                ticks = ticks(lo, hi, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, edge);
            }
            if (ticks.size() < 2) {
                ticks = List.of(tick(lo, edge), tick(hi, edge));
            }
            return ticks;
        }

        private static List<NumberTick> ticks(double lo, double hi, double[] mantissas, RectangleEdge edge) {
            List<NumberTick> ticks = new ArrayList<>();
            for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
                for (double m : mantissas) {
                    double v = m * Math.pow(10, e);
                    if (v >= lo && v <= hi) {
                        ticks.add(tick(v, edge));
                    }
                }
            }
            return ticks;
        }

        private static NumberTick tick(double v, RectangleEdge edge) {
            TextAnchor anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
            return new NumberTick(TickType.MAJOR, v, shortNumber(v), anchor, anchor, 0.0);
        }
    }

    /**
     * The labels: the front points' first, each at the first of a few spots around its circle that
     * stays inside the plot and clear of earlier labels, of the front line and of other circles (if
     * none is clear, the least crowded one). Then the other points', in grey, only where a spot
     * right beside the circle is clear: on a crowded sweep an unlabelled point beats an unreadable chart.
     */
    private static final class FrontLabels extends AbstractXYAnnotation {
        private static final long serialVersionUID = 1L;
        private static final Font FONT = new Font("SansSerif", Font.PLAIN, 11);
        private static final Font OTHER_FONT = new Font("SansSerif", Font.PLAIN, 10);
        private static final double GAP = 3;
        private static final double PAD = 2;
        private static final double COVERS_LABEL = 100;
        private static final double D = Math.sqrt(0.5);
        /**
         * Where to try a label, best first (screen y grows downwards): above right is where a
         * front has nothing, since nothing beats it there.
         */
        private static final double[][] DIRECTIONS = {
            {D, -D}, {1, 0}, {0, -1}, {-D, -D}, {-1, 0}, {D, D}, {0, 1}, {-D, D},
        };
        /** How much further from the circle than just off it, tried in turn when crowded. */
        private static final double[] FURTHER = {0, 14, 28};
        private final transient List<ParetoFront.Point> all;
        private final transient List<ParetoFront.Point> front;
        private final transient SizedCircles sizes;

        FrontLabels(List<ParetoFront.Point> all, List<ParetoFront.Point> front, SizedCircles sizes) {
            this.all = all;
            this.front = front;
            this.sizes = sizes;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
                int rendererIndex, PlotRenderingInfo info) {
            RectangleEdge xEdge = plot.getDomainAxisEdge();
            RectangleEdge yEdge = plot.getRangeAxisEdge();
            List<Ellipse2D> circles = new ArrayList<>();
            for (ParetoFront.Point p : all) {
                double d = sizes.diameter(p);
                circles.add(new Ellipse2D.Double(domainAxis.valueToJava2D(p.imagesPerSecond(), dataArea, xEdge) - d / 2,
                        rangeAxis.valueToJava2D(100 * p.accuracy(), dataArea, yEdge) - d / 2, d, d));
            }
            List<Line2D> line = new ArrayList<>();
            double[] cx = new double[front.size()];
            double[] cy = new double[front.size()];
            for (int i = 0; i < front.size(); i++) {
                cx[i] = domainAxis.valueToJava2D(front.get(i).imagesPerSecond(), dataArea, xEdge);
                cy[i] = rangeAxis.valueToJava2D(100 * front.get(i).accuracy(), dataArea, yEdge);
                if (i > 0) {
                    line.add(new Line2D.Double(cx[i - 1], cy[i - 1], cx[i], cy[i]));
                }
            }

            List<Rectangle2D> placed = new ArrayList<>();
            List<ParetoFront.Point> others = all.stream().filter(p -> !front.contains(p)).toList();
            for (int i = 0; i < front.size() + others.size(); i++) {
                boolean onFront = i < front.size();
                ParetoFront.Point p = onFront ? front.get(i) : others.get(i - front.size());
                double px = domainAxis.valueToJava2D(p.imagesPerSecond(), dataArea, xEdge);
                double py = rangeAxis.valueToJava2D(100 * p.accuracy(), dataArea, yEdge);
                g2.setFont(onFront ? FONT : OTHER_FONT);
                FontMetrics fm = g2.getFontMetrics();
                String text = p.label() == null ? "" : p.label();
                double w = fm.stringWidth(text) + 2 * PAD;
                double h = fm.getAscent() + fm.getDescent() + 2 * PAD;
                double r = sizes.diameter(p) / 2;
                Rectangle2D best = null;
                double bestCost = Double.POSITIVE_INFINITY;
                double bestDistance = 0;
                search:
                for (double further : onFront ? FURTHER : new double[] {0}) {
                    for (double[] u : DIRECTIONS) {
                        Rectangle2D box = box(px, py, r + GAP + further, u, w, h);
                        double cost = cost(box, dataArea, placed, line, circles);
                        if (cost < bestCost) {
                            best = box;
                            bestCost = cost;
                            bestDistance = further;
                        }
                        if (cost == 0) {
                            break search;
                        }
                    }
                }
                if (bestCost >= COVERS_LABEL || (!onFront && bestCost > 0)) {
                    continue; // unlabelled beats unreadable
                }
                placed.add(best);
                if (bestDistance > 0) {
                    // a label moved away from its circle needs a thread back to it
                    double bx = Math.max(best.getMinX(), Math.min(px, best.getMaxX()));
                    double by = Math.max(best.getMinY(), Math.min(py, best.getMaxY()));
                    double len = Math.hypot(bx - px, by - py);
                    g2.setPaint(new Color(FRONT_COLOUR.getRed(), FRONT_COLOUR.getGreen(), FRONT_COLOUR.getBlue(), 190));
                    g2.setStroke(new BasicStroke(1f));
                    g2.draw(new Line2D.Double(px + (bx - px) * r / len, py + (by - py) * r / len, bx, by));
                }
                // a light backing keeps the text readable over grid lines and circles
                g2.setPaint(new Color(255, 255, 255, 210));
                g2.fill(new RoundRectangle2D.Double(best.getX(), best.getY(), w, h, 4, 4));
                g2.setPaint(onFront ? FRONT_COLOUR.darker() : Color.DARK_GRAY);
                g2.drawString(text, (float) (best.getX() + PAD), (float) (best.getY() + PAD + fm.getAscent()));
            }
        }

        /**
         * A w x h box beside the point (cx, cy), its nearest side or corner {@code distance} away
         * in direction {@code u}.
         */
        private static Rectangle2D box(double cx, double cy, double distance, double[] u, double w, double h) {
            double ax = cx + distance * u[0];
            double ay = cy + distance * u[1];
            double x = u[0] > 0.3 ? ax : u[0] < -0.3 ? ax - w : ax - w / 2;
            double y = u[1] > 0.3 ? ay : u[1] < -0.3 ? ay - h : ay - h / 2;
            return new Rectangle2D.Double(x, y, w, h);
        }

        /** How bad a label box is: leaving the plot worst, covering another label next, then the line, then circles. */
        private static double cost(Rectangle2D box, Rectangle2D dataArea, List<Rectangle2D> placed, List<Line2D> line,
                List<Ellipse2D> circles) {
            double cost = 0;
            if (!dataArea.contains(box)) {
                cost += 10 * COVERS_LABEL;
            }
            for (Rectangle2D p : placed) {
                if (p.intersects(box)) {
                    cost += COVERS_LABEL;
                }
            }
            for (Line2D l : line) {
                if (box.intersectsLine(l)) {
                    cost += 10;
                }
            }
            for (Ellipse2D c : circles) {
                if (c.intersects(box)) {
                    cost += 1;
                }
            }
            return cost;
        }
    }
}
