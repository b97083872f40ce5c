package org.bcflow.trainer;

import java.util.Random;
import org.bcflow.core.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput against the machine's matrix-multiply limit, measured in one run.
 *
 * <ul>
 *   <li><b>images/s</b>: {@code steps} training steps (load + forward + loss + backward + update,
 *       exactly what {@link Trainer} runs per mini-batch) of the deterministic net on random images,
 *       after {@code warmup} steps.</li>
 *   <li><b>useful FLOPs of a step</b>: the three matrix products per layer, 2 * batch * in * out
 *       each (z = x Wb^T, dL/dWb = dz^T x, and dL/dx = dz Wb for every layer but the first).
 *       Element-wise work is not counted.</li>
 *   <li><b>sgemm GFLOP/s</b>: ND4J's {@code Nd4j.gemm} on exactly those products (same shapes, same
 *       transpose flags) back to back with nothing else, on arrays of its own: the limit the step
 *       could reach. Measured before and after the training steps; the higher counts.</li>
 *   <li><b>roofline ratio</b>: (useful FLOPs per step * steps/s) / sgemm FLOP/s.</li>
 * </ul>
 * Also reported: the square 1024x1024x1024 sgemm rate, for comparison with other machines.
 */
public final class TrainBench {
    private TrainBench() {
    }

    /** The figures of one run. */
    public record Result(String network, int batch, int steps, double imagesPerSecond, double stepGflop,
                         double usefulGflops, double sgemmGflops, double sgemm1024Gflops, double rooflineRatio) {
    }

    /** Runs the benchmark on a net of layer sizes {@code sizes} (inputs first). */
    public static Result run(int[] sizes, int batch, int warmup, int steps) {
        int inputs = sizes[0];
        int classes = sizes[sizes.length - 1];
        int images = Math.max(batch * 20, 2000);
        Random rnd = new Random(1);
        byte[] pixels = new byte[images * inputs];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[images];
        for (int i = 0; i < images; i++) {
            labels[i] = (byte) rnd.nextInt(classes);
        }
        LabeledImages data = new LabeledImages(images, 1, inputs, pixels, labels, classes);
        double stepFlop = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            stepFlop += 2.0 * batch * sizes[l] * sizes[l + 1] * (l == 0 ? 2 : 3);
        }
        double sgemmBefore = stepGemmGflops(sizes, batch, stepFlop);
        double ips = trainImagesPerSecond(sizes, batch, warmup, steps, data);
        double sgemmAfter = stepGemmGflops(sizes, batch, stepFlop);
        double sgemm = Math.max(sgemmBefore, sgemmAfter);
        double useful = stepFlop * ips / batch / 1e9;
        StringBuilder name = new StringBuilder();
        for (int s : sizes) {
            name.append(name.length() == 0 ? "" : "-").append(s);
        }
        return new Result(name.toString(), batch, steps, ips, stepFlop / 1e9, useful, sgemm, squareGflops(1024),
                useful / sgemm);
    }

    static double trainImagesPerSecond(int[] sizes, int batch, int warmup, int steps, LabeledImages data) {
        BinaryMlp net = new BinaryMlp(sizes, batch, TrainConfig.Method.defaults(), 1);
        net.initialise(1);
        int[] order = Trainer.shuffled(data.count(), new Random(2));
        int[] indices = new int[batch];
        int[] labels = new int[batch];
        int[] errors = {0};
        long t0 = 0;
        for (int s = 0; s < warmup + steps; s++) {
            if (s == warmup) {
                t0 = System.nanoTime();
            }
            for (int r = 0; r < batch; r++) {
                indices[r] = order[(s * batch + r) % data.count()];
                labels[r] = data.label(indices[r]);
            }
            net.load(data, indices, batch);
            net.trainStep(labels, 1e-3, errors);
        }
        net.close();
        return (double) steps * batch / ((System.nanoTime() - t0) / 1e9);
    }

    /** GFLOP/s of the step's matrix products run back to back (about 2 seconds). */
    static double stepGemmGflops(int[] sizes, int batch, double stepFlop) {
        int layers = sizes.length - 1;
        INDArray[] x = new INDArray[layers];
        INDArray[] w = new INDArray[layers];
        INDArray[] z = new INDArray[layers];
        INDArray[] g = new INDArray[layers];
        INDArray[] dx = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            x[l] = Nd4j.rand(DataType.FLOAT, batch, sizes[l]);
            w[l] = Nd4j.rand(DataType.FLOAT, sizes[l + 1], sizes[l]);
            z[l] = Nd4j.create(DataType.FLOAT, new long[] {batch, sizes[l + 1]}, 'c');
            g[l] = Nd4j.create(DataType.FLOAT, new long[] {sizes[l + 1], sizes[l]}, 'c');
            dx[l] = Nd4j.create(DataType.FLOAT, new long[] {batch, sizes[l]}, 'c');
        }
        Runnable step = () -> {
            for (int l = 0; l < layers; l++) {
                Nd4j.gemm(x[l], w[l], z[l], false, true, 1.0, 0.0);
            }
            for (int l = layers - 1; l >= 0; l--) {
                Nd4j.gemm(z[l], x[l], g[l], true, false, 1.0, 0.0);
                if (l > 0) {
                    Nd4j.gemm(z[l], w[l], dx[l], false, false, 1.0, 0.0);
                }
            }
        };
        return timeGflops(step, stepFlop, 2.0);
    }

    static double squareGflops(int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'c');
        return timeGflops(() -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0), 2.0 * n * n * n, 1.0);
    }

    /** Runs {@code work} for a warm-up then for about {@code seconds}; the best of 5 rounds, in GFLOP/s. */
    private static double timeGflops(Runnable work, double flop, double seconds) {
        long t = System.nanoTime();
        int reps = 0;
        while (System.nanoTime() - t < 3e8 || reps < 3) {
            work.run();
            reps++;
        }
        double per = (System.nanoTime() - t) / 1e9 / reps;
        int n = Math.max(1, (int) (seconds / 5 / per));
        double best = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                work.run();
            }
            best = Math.max(best, flop * n / ((System.nanoTime() - t0) / 1e9) / 1e9);
        }
        return best;
    }
}
