package org.bcflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bcflow.cli.ParetoFront.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParetoFrontTest {
    private static Point p(String label, double accuracy, double imagesPerSecond) {
        return new Point(label, accuracy, imagesPerSecond, 2000, true);
    }

    private static List<String> labels(List<Point> points) {
        return points.stream().map(Point::label).toList();
    }

    @Test
    void dominatedPointsGoAndTheRestAreSortedByImagesPerSecond() {
        List<Point> points = List.of(
                p("fast", 0.92, 9000),
                p("dominated", 0.90, 100),     // beaten by "middle" on both
                p("middle", 0.95, 200),
                p("same accuracy, slower", 0.95, 150),
                p("accurate", 0.97, 50),
                p("same speed, less accurate", 0.91, 9000));
        assertEquals(List.of("accurate", "middle", "fast"), labels(ParetoFront.front(points)));
    }

    @Test
    void pointsThatDoNotFitOrAreUnfinishedAreNeitherOnTheFrontNorDominateIt() {
        List<Point> points = List.of(
                p("a", 0.90, 1000),
                p("b", 0.95, 100),
                new Point("too big", 0.99, 1e6, 9000, false),
                p("no accuracy", Double.NaN, 1e6),
                p("no speed", 0.99, Double.NaN),
                p("infinite", 0.99, Double.POSITIVE_INFINITY));
        assertEquals(List.of("b", "a"), labels(ParetoFront.front(points)));
    }

    @Test
    void exactDuplicatesAreBothKept() {
        List<Point> points = List.of(p("x", 0.95, 500), p("y", 0.95, 500), p("z", 0.94, 400));
        assertEquals(List.of("x", "y"), labels(ParetoFront.front(points)));
    }

    @Test
    void nothingGivesNothing() {
        assertTrue(ParetoFront.front(List.of()).isEmpty());
        assertTrue(ParetoFront.front(List.of(new Point("too big", 0.9, 10, 1, false))).isEmpty());
    }

    @Test
    void theChartIsA1200By800PngWithTheFrontDrawn(@TempDir Path dir) throws IOException {
        List<Point> points = demoPoints();
        Path png = dir.resolve("pareto.png");
        ParetoChart.write(points, "Design space sweep", png);
        BufferedImage image = read(png);
        assertTrue(frontPixels(image) > 200, "front colour pixels: " + frontPixels(image));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary file left beside it");
        }
        // a copy to look at: mvn ... -Dpareto.demo=/tmp/pareto-demo.png
        String demo = System.getProperty("pareto.demo");
        if (demo != null && !demo.isBlank()) {
            ParetoChart.write(points, "Design space sweep: 128FC-10 and friends on iCE40", Path.of(demo));
        }
    }

    @Test
    void withoutFinishedPointsTheChartSaysSo(@TempDir Path dir) throws IOException {
        for (List<Point> points : List.of(List.<Point>of(), List.of(p("running", Double.NaN, Double.NaN)))) {
            Path png = dir.resolve("empty.png");
            ParetoChart.write(points, "Design space sweep", png);
            BufferedImage image = read(png);
            assertTrue(darkPixels(image) > 500, "some text drawn: " + darkPixels(image));
            assertEquals(0, frontPixels(image), "no front drawn");
        }
    }

    @Test
    void pointsThatAllDoNotFitGiveAChartWithoutAFront(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("nofit.png");
        ParetoChart.write(List.of(new Point("big", 0.95, 5000, 9000, false), new Point("bigger", 0.96, 3000, 12000, false)),
                "too big", png);
        assertTrue(darkPixels(read(png)) > 500);
    }

    @Test
    void throughputTicksReadAsEngineersSayThem() {
        assertEquals("1k", ParetoChart.shortNumber(1000));
        assertEquals("20k", ParetoChart.shortNumber(20000));
        assertEquals("500k", ParetoChart.shortNumber(5e5));
        assertEquals("1M", ParetoChart.shortNumber(1e6));
        assertEquals("50", ParetoChart.shortNumber(50));
    }

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(ParetoChart.WIDTH, image.getWidth());
        assertEquals(ParetoChart.HEIGHT, image.getHeight());
        return image;
    }

    private static int frontPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int d = Math.abs(((rgb >> 16) & 0xff) - ParetoChart.FRONT_COLOUR.getRed())
                        + Math.abs(((rgb >> 8) & 0xff) - ParetoChart.FRONT_COLOUR.getGreen())
                        + Math.abs((rgb & 0xff) - ParetoChart.FRONT_COLOUR.getBlue());
                if (d < 30) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int darkPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 300) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * 24 points shaped like a sweep of MLPs on two iCE40 parts: bigger networks and more input
     * bits are more accurate, larger and slower; the UP5K is slower than the HX8K and has fewer
     * logic cells, so the largest designs do not fit it.
     */
    static List<Point> demoPoints() {
        String[] topologies = {"64FC-10", "128FC-10", "256FC-10", "128FC-128FC-10"};
        double[] accuracy = {0.930, 0.950, 0.967, 0.962};
        double[] speed = {1.6e5, 5e4, 1.4e4, 8e3};
        long[] cells = {1500, 2500, 4300, 5200};
        int[] bits = {2, 4, 8};
        double[] bitAccuracy = {-0.027, -0.006, 0};
        double[] bitSpeed = {1.3, 1.0, 0.6};
        long[] bitCells = {0, 400, 1500};
        List<Point> points = new ArrayList<>();
        int i = 0;
        for (int t = 0; t < topologies.length; t++) {
            for (int b = 0; b < bits.length; b++) {
                for (String device : List.of("hx8k", "up5k")) {
                    // a fixed wobble so that the points do not sit on a grid
                    double wobble = Math.sin(7.3 * ++i);
                    long lc = cells[t] + bitCells[b] + Math.round(120 * wobble);
                    boolean up5k = device.equals("up5k");
                    points.add(new Point(topologies[t] + " " + bits[b] + "b thr " + device,
                            accuracy[t] + bitAccuracy[b] + 0.002 * wobble,
                            speed[t] * bitSpeed[b] * (up5k ? 0.45 : 1) * (1 + 0.15 * wobble),
                            lc, lc <= (up5k ? 5280 : 7680)));
                }
            }
        }
        return points;
    }
}
