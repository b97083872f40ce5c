package org.bcflow.trainer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.Random;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
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
 *   <li><b>useful FLOPs of a step</b>: {@code 2 m n k} of each of the step's matrix products
 *       ({@link Gemm}): per layer z = x Wb^T, dL/dWb = dz^T x, and dL/dx = dz Wb for every layer
 *       but the first, x being a conv layer's im2col matrix (whose gradient is then added back
 *       onto the map). Element-wise work
 *       (batch norm, pooling, im2col, the optimizer) is not counted.</li>
 *   <li><b>sgemm GFLOP/s</b>: ND4J's {@code Nd4j.gemm} on exactly those products (same shapes, same
 *       transpose flags) back to back with nothing else, on arrays of its own: the limit the step
 *       could reach. Measured before and after the training steps; the higher counts.</li>
 *   <li><b>roofline ratio</b>: (useful FLOPs per step * steps/s) / sgemm FLOP/s.</li>
 * </ul>
 * Also reported: the square 1024x1024x1024 sgemm rate, for comparison with other machines; and,
 * when {@link StepProfile} is on, a conv net's milliseconds per step in each part of the step.
 */
public final class TrainBench {
    private TrainBench() {
    }

    /** The figures of one run. */
    public record Result(String network, int batch, int steps, double imagesPerSecond, double stepGflop,
                         double usefulGflops, double sgemmGflops, double sgemm1024Gflops, double rooflineRatio,
                         Map<StepProfile.Part, Double> msPerStep) {
    }

    /** One matrix product of a training step: C[m, n] = op(A) op(B) with inner dimension k. */
    record Gemm(int m, int n, int k, boolean transposeA, boolean transposeB) {
        double flop() {
            return 2.0 * m * n * k;
        }
    }

    /** Runs the benchmark on an MLP of layer sizes {@code sizes} (inputs first). */
    public static Result run(int[] sizes, int batch, int warmup, int steps) {
        int[] hidden = java.util.Arrays.copyOfRange(sizes, 1, sizes.length - 1);
        return run(Architecture.mlp(hidden, sizes[sizes.length - 1]), FeatureMap.vector(sizes[0]), batch, warmup, steps);
    }

    /** Runs the benchmark on any architecture for images of this shape. */
    public static Result run(Architecture arch, FeatureMap input, int batch, int warmup, int steps) {
        int inputs = input.size();
        int classes = arch.classes();
        int images = Math.max(batch * 20, 2000);
        Random rnd = new Random(1);
        byte[] pixels = new byte[images * inputs];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[images];
        for (int i = 0; i < images; i++) {
            labels[i] = (byte) rnd.nextInt(classes);
        }
        LabeledImages data = input.isVector()   // an MLP's vector, as one row of grey values
                ? new LabeledImages(images, 1, 1, inputs, pixels, labels, classes)
                : new LabeledImages(images, input.channels(), input.height(), input.width(), pixels, labels, classes);
        List<Gemm> products = products(arch, input, batch);
        double stepFlop = products.stream().mapToDouble(Gemm::flop).sum();
        double sgemmBefore = stepGemmGflops(products, stepFlop);
        double ips = trainImagesPerSecond(net(arch, input, batch), batch, warmup, steps, data);
        Map<StepProfile.Part, Double> split = new EnumMap<>(StepProfile.Part.class);
        if (StepProfile.ON) {
            StepProfile.seconds().forEach((part, sec) -> split.put(part, 1000 * sec / steps));
        }
        double sgemmAfter = stepGemmGflops(products, stepFlop);
        double sgemm = Math.max(sgemmBefore, sgemmAfter);
        double useful = stepFlop * ips / batch / 1e9;
        String name = arch.isMlp() && input.isVector() ? mlpName(input, arch) : input + "-" + arch;
        return new Result(name, batch, steps, ips, stepFlop / 1e9, useful, sgemm, squareGflops(1024), useful / sgemm, split);
    }

    private static String mlpName(FeatureMap input, Architecture arch) {
        StringBuilder name = new StringBuilder().append(input.size());
        for (int h : arch.hidden()) {
            name.append('-').append(h);
        }
        return name.append('-').append(arch.classes()).toString();
    }

    private static TrainableNet net(Architecture arch, FeatureMap input, int batch) {
        if (arch.isMlp() && input.isVector()) {
            int[] h = arch.hidden();
            int[] sizes = new int[h.length + 2];
            sizes[0] = input.size();
            System.arraycopy(h, 0, sizes, 1, h.length);
            sizes[sizes.length - 1] = arch.classes();
            return new BinaryMlp(sizes, batch, TrainConfig.Method.defaults(), 1);
        }
        return new ConvNet(arch, input, batch, TrainConfig.Method.defaults(), 1);
    }

    /** The matrix products of one training step, in the order the step runs them. */
    static List<Gemm> products(Architecture arch, FeatureMap input, int batch) {
        List<Gemm> forward = new ArrayList<>();
        List<Gemm> backward = new ArrayList<>();
        List<FeatureMap> shapes = arch.shapes(input);
        List<Architecture.Block> blocks = new ArrayList<>(arch.blocks());
        blocks.add(new Architecture.Dense(Integer.toString(arch.classes()), arch.classes()));
        FeatureMap map = input;
        boolean first = true;
        for (int i = 0; i < blocks.size(); i++) {
            Architecture.Block b = blocks.get(i);
            FeatureMap out = shapes.get(i);
            if (!(b instanceof Architecture.Pool)) {
                int n = out.channels();
                int rows = batch * out.positions();
                int cols = b instanceof Architecture.Conv c ? c.k() * c.k() * map.channels() : map.size();
                forward.add(new Gemm(rows, n, cols, false, true));            // z = patches Wb^T
                List<Gemm> back = new ArrayList<>();
                back.add(new Gemm(n, cols, rows, true, false));              // dL/dWb = dz^T patches
                if (!first) {                                                 // dL/d(patches) = dz Wb
                    back.add(new Gemm(rows, cols, n, false, false));
                }
                backward.addAll(0, back);
                first = false;
            }
            map = out;
        }
        forward.addAll(backward);
        return forward;
    }

    static double trainImagesPerSecond(TrainableNet net, int batch, int warmup, int steps, LabeledImages data) {
        net.initialise(1);
        int[] order = Trainer.shuffled(data.count(), new Random(2));
        int[] indices = new int[batch];
        int[] labels = new int[batch];
        int[] errors = {0};
        long t0 = 0;
        for (int s = 0; s < warmup + steps; s++) {
            if (s == warmup) {
                t0 = System.nanoTime();
                StepProfile.reset();
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

    /** GFLOP/s of the step's matrix products run back to back (about 2 seconds), on arrays of their own. */
    static double stepGemmGflops(List<Gemm> products, double stepFlop) {
        int n = products.size();
        INDArray[] a = new INDArray[n];
        INDArray[] b = new INDArray[n];
        INDArray[] c = new INDArray[n];
        for (int i = 0; i < n; i++) {
            Gemm g = products.get(i);
            a[i] = g.transposeA() ? Nd4j.rand(DataType.FLOAT, g.k(), g.m()) : Nd4j.rand(DataType.FLOAT, g.m(), g.k());
            b[i] = g.transposeB() ? Nd4j.rand(DataType.FLOAT, g.n(), g.k()) : Nd4j.rand(DataType.FLOAT, g.k(), g.n());
            c[i] = Nd4j.create(DataType.FLOAT, new long[] {g.m(), g.n()}, 'c');
        }
        Runnable step = () -> {
            for (int i = 0; i < n; i++) {
                Gemm g = products.get(i);
                Nd4j.gemm(a[i], b[i], c[i], g.transposeA(), g.transposeB(), 1.0, 0.0);
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
