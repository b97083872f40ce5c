package org.bcflow.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * What a training run leaves for a user to look at, in one folder:
 * <pre>
 *   metrics.csv     one line per epoch: epoch,loss,train_error,validation_error,test_error,
 *                   learning_rate,seconds,images_per_second (errors as fractions; empty = none)
 *   errors.png      training, validation and test error (%) against epochs
 *   weights.png     histogram of the real-valued weights W of every layer (the paper's Figure 2)
 *   npy/            the returned model for NumPy, per weight layer L named as in the integer
 *                   network (dense0, dense1, ... for an MLP; conv0, ..., dense0, ... otherwise;
 *                   the first layer takes the pixels / 255):
 *                   L_W.npy     float32 [outputs, inputs]  real-valued W of a dense layer, or
 *                               float32 [out, in, k, k]    of a conv layer (PyTorch's order)
 *                   L_Wb.npy    int8, the same shape: sign(W), +1 / -1, sign(0) = +1 (binary models only)
 *                   L_gamma.npy, _beta.npy, _running_mean.npy, _running_var.npy
 *                               float32 [outputs]  batch norm (eps 1e-4)
 *                   A dense layer after a feature map takes it flattened in HWC order (the
 *                   integer network's), not PyTorch's CHW.
 * </pre>
 * Charts are drawn with JFreeChart (headless). Every file is written atomically.
 */
public final class TrainArtifacts {
    public static final String METRICS = "metrics.csv";
    public static final String ERRORS_PLOT = "errors.png";
    public static final String WEIGHTS_PLOT = "weights.png";
    public static final String NPY_FOLDER = "npy";

    private TrainArtifacts() {
    }

    /** Writes metrics.csv and errors.png for the epochs so far. */
    public static void writeMetrics(Path dir, List<Trainer.EpochStats> epochs) {
        mkdirs(dir);
        StringBuilder csv = new StringBuilder(
                "epoch,loss,train_error,validation_error,test_error,learning_rate,seconds,images_per_second\n");
        XYSeries train = new XYSeries("training (dropout included)");
        XYSeries val = new XYSeries("validation");
        XYSeries test = new XYSeries("test");
        for (Trainer.EpochStats e : epochs) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%s,%s,%.6g,%.3f,%.1f%n", e.epoch(), e.loss(), e.trainError(),
                    num(e.validationError()), num(e.testError()), e.learningRate(), e.seconds(), e.imagesPerSecond()));
            train.add(e.epoch(), 100 * e.trainError());
            if (!Double.isNaN(e.validationError())) {
                val.add(e.epoch(), 100 * e.validationError());
            }
            if (!Double.isNaN(e.testError())) {
                test.add(e.epoch(), 100 * e.testError());
            }
        }
        AtomicFiles.writeString(dir.resolve(METRICS), csv.toString());
        XYSeriesCollection series = new XYSeriesCollection();
        series.addSeries(train);
        if (!val.isEmpty()) {
            series.addSeries(val);
        }
        if (!test.isEmpty()) {
            series.addSeries(test);
        }
        headless();
        JFreeChart chart = ChartFactory.createXYLineChart("Error against epochs", "epoch", "error (%)", series,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        png(chart, dir.resolve(ERRORS_PLOT));
    }

    /** Writes weights.png and the npy/ folder of a model. */
    public static void writeWeights(Path dir, FloatModel model) {
        mkdirs(dir);
        HistogramDataset hist = new HistogramDataset();
        for (int i = 0; i < model.layers().size(); i++) {
            float[] w = model.layers().get(i).weights();
            double[] d = new double[w.length];
            for (int j = 0; j < w.length; j++) {
                d[j] = w[j];
            }
            double lo = model.binary() ? -1 : min(d);
            double hi = model.binary() ? 1 : max(d);
            hist.addSeries(model.layerNames().get(i) + " (" + w.length + " weights)", d, 100, lo, hi + (hi == lo ? 1 : 0));
        }
        headless();
        JFreeChart chart = ChartFactory.createHistogram("Real-valued weights W", "W", "weights", hist,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.6f);
        plot.setBackgroundPaint(Color.WHITE);
        ((XYBarRenderer) plot.getRenderer()).setShadowVisible(false);
        png(chart, dir.resolve(WEIGHTS_PLOT));
        writeNpy(dir.resolve(NPY_FOLDER), model);
    }

    /** The model's layers as .npy files in {@code dir} (names in the class comment). */
    public static void writeNpy(Path dir, FloatModel model) {
        mkdirs(dir);
        List<String> names = model.layerNames();
        for (int i = 0; i < model.layers().size(); i++) {
            FloatLayer l = model.layers().get(i);
            String p = names.get(i) + "_";
            int k = model.kernel(i);
            float[] w = k == 0 ? l.weights() : kernelsOutInKK(l.weights(), l.outputs(), l.inputs() / (k * k), k);
            int[] shape = k == 0 ? new int[] {l.outputs(), l.inputs()} : new int[] {l.outputs(), l.inputs() / (k * k), k, k};
            Npy.writeFloat32(dir.resolve(p + "W.npy"), w, shape);
            if (model.binary()) {
                byte[] wb = new byte[w.length];
                for (int j = 0; j < w.length; j++) {
                    wb[j] = (byte) (w[j] >= 0f ? 1 : -1);
                }
                Npy.writeInt8(dir.resolve(p + "Wb.npy"), wb, shape);
            }
            Npy.writeFloat32(dir.resolve(p + "gamma.npy"), l.gamma(), l.outputs());
            Npy.writeFloat32(dir.resolve(p + "beta.npy"), l.beta(), l.outputs());
            Npy.writeFloat32(dir.resolve(p + "running_mean.npy"), l.runningMean(), l.outputs());
            Npy.writeFloat32(dir.resolve(p + "running_var.npy"), l.runningVar(), l.outputs());
        }
    }

    /** A conv matrix (row o, column (ky * k + kx) * C + c) in PyTorch's order [o][c][ky][kx]. */
    static float[] kernelsOutInKK(float[] matrix, int out, int in, int k) {
        float[] t = new float[matrix.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        t[((o * in + c) * k + ky) * k + kx] = matrix[o * k * k * in + (ky * k + kx) * in + c];
                    }
                }
            }
        }
        return t;
    }

    private static void png(JFreeChart chart, Path file) {
        try {
            AtomicFiles.write(file, ChartUtils.encodeAsPNG(chart.createBufferedImage(900, 560)));
        } catch (IOException e) {
            throw new BcflowException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BcflowException("cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static double min(double[] d) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : d) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] d) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : d) {
            m = Math.max(m, v);
        }
        return m;
    }
}
