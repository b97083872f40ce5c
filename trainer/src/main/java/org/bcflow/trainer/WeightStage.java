package org.bcflow.trainer;

import java.nio.FloatBuffer;
import org.bcflow.core.FeatureMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A weight layer of {@link ConvNet}, conv or dense, with its batch norm and activation: one
 * matrix product per pass on a batch of rows.
 *
 * <p>A conv layer's rows are its output positions, {@code batch * outH * outW} of them, each the
 * window laid out by {@link Im2col} ({@code k * k * C} columns in the integer network's order);
 * a dense layer's rows are the images, each the input map flattened in HWC order. Either way
 * {@code z = patches Wb^T} is {@code [rows, n]} row-major, which is the output map in HWC order,
 * and batch norm is per output channel over all rows. The input gradient of a layer is
 * {@code dz Wb}: for a dense layer that is dL/dx itself, for a conv layer the gradient of each
 * window, which {@link Im2col#scatterAdd} adds back onto the positions the window came from.
 *
 * <p>Holds what a checkpoint holds ({@link #state()}: W, gamma, beta, the running statistics and
 * the optimizer moments) and every buffer a step needs, allocated once.
 */
final class WeightStage {
    final FeatureMap in, out;
    final boolean conv, hidden, first;
    final int k, pad, rows, cols, n, batch;
    final double lrScale;
    // parameters, running statistics and optimizer moments (what a checkpoint holds)
    final float[] w, mW, vW;                                   // [n * cols]
    final float[] gamma, beta, runMean, runVar, mGamma, vGamma, mBeta, vBeta;
    // native operands of the matrix products
    final INDArray wb, gradW, patches, z, dz, dPatches;                  // dPatches = dz Wb, [rows, cols]
    final FloatBuffer wbView, gradWView, patchesView, zView, dzView, dPatchesView;
    // heap scratch
    final float[] wbHeap, gradWHeap, patchHeap;                           // patchHeap: conv only, im2col's both ways
    final float[] xhat, act, d, drop;
    final float[] mean, invStd, scale, gradGamma, gradBeta;
    final float[][] partA, partB;                               // per-half partial sums, [2][n]
    private final SecondCore core;
    /** Where backward leaves dL/d(input): the previous stage's gradient array (null for the first layer). */
    float[] dIn;

    /**
     * @param in      the input map of one image
     * @param n       output channels (conv) or units (dense)
     * @param k       kernel size (conv), 0 for dense
     * @param pad     zero padding on each side (conv)
     * @param first   the first layer: no input gradient needed
     * @param hidden  batch norm then activation (false: the output layer, batch norm only)
     */
    WeightStage(FeatureMap in, int n, int k, int pad, boolean first, boolean hidden, int batch, TrainConfig.Method m,
                SecondCore core) {
        this.core = core;
        this.in = in;
        this.conv = k > 0;
        this.k = k;
        this.pad = pad;
        this.n = n;
        this.first = first;
        this.hidden = hidden;
        this.batch = batch;
        this.out = conv ? new FeatureMap(n, in.height() + 2 * pad - k + 1, in.width() + 2 * pad - k + 1) : FeatureMap.vector(n);
        this.rows = batch * out.positions();
        this.cols = conv ? k * k * in.channels() : in.size();
        // the paper's Glorot-based learning-rate scale; for a conv layer fan-in k*k*C and fan-out k*k*n
        double fanIn = cols;
        double fanOut = conv ? (double) k * k * n : n;
        this.lrScale = m.glorotLrScale() && m.binary() ? 1.0 / Math.sqrt(1.5 / (fanIn + fanOut)) : 1.0;
        int size = n * cols;
        w = new float[size]; mW = new float[size]; vW = new float[size]; wbHeap = new float[size]; gradWHeap = new float[size];
        gamma = MlpLayer.filled(n, 1f); beta = new float[n]; runMean = new float[n]; runVar = MlpLayer.filled(n, 1f);
        mGamma = new float[n]; vGamma = new float[n]; mBeta = new float[n]; vBeta = new float[n];
        mean = new float[n]; invStd = new float[n]; scale = new float[n]; gradGamma = new float[n]; gradBeta = new float[n];
        partA = new float[2][n]; partB = new float[2][n];
        xhat = new float[rows * n]; act = new float[rows * n]; d = new float[rows * n];
        drop = hidden && m.dropoutHidden() > 0 ? new float[rows * n] : null;
        wb = MlpLayer.matrix(n, cols); gradW = MlpLayer.matrix(n, cols);
        patches = MlpLayer.matrix(rows, cols);
        z = MlpLayer.matrix(rows, n); dz = MlpLayer.matrix(rows, n);
        wbView = MlpLayer.view(wb); gradWView = MlpLayer.view(gradW); patchesView = MlpLayer.view(patches);
        zView = MlpLayer.view(z); dzView = MlpLayer.view(dz);
        patchHeap = conv ? new float[rows * cols] : null;
        dPatches = first ? null : MlpLayer.matrix(rows, cols);
        dPatchesView = first ? null : MlpLayer.view(dPatches);
    }

    /** The input batch (maps in HWC, image after image) into the patch matrix. */
    void loadInput(float[] x) {
        long t = StepProfile.start();
        if (conv) {
            int c = in.channels();
            core.split(batch, (long) rows * cols, (from, to, half) -> {
                Im2col.gather(x, from, to, c, in.height(), in.width(), k, pad, out.height(), out.width(), patchHeap);
                int rowsPerImage = out.positions() * cols;
                patchesView.put(from * rowsPerImage, patchHeap, from * rowsPerImage, (to - from) * rowsPerImage);
            });
        } else {
            patchesView.put(0, x, 0, batch * cols);
        }
        StepProfile.add(conv ? StepProfile.Part.IM2COL : StepProfile.Part.COPY_TO_NATIVE, t);
    }

    /** z = patches Wb^T, then batch norm and activation into act. */
    void forward(boolean training, float[] levels) {
        long t = StepProfile.start();
        Nd4j.gemm(patches, wb, z, false, true, 1.0, 0.0);
        StepProfile.add(StepProfile.Part.GEMM, t);
        t = StepProfile.start();
        zView.get(0, xhat);                                          // xhat holds z for now
        StepProfile.add(StepProfile.Part.COPY_TO_NATIVE, t);
        t = StepProfile.start();
        BatchNorm.statistics(core, training, rows, n, xhat, mean, invStd, runMean, runVar, partA);
        if (hidden) {
            BatchNorm.hidden(core, rows, n, xhat, mean, invStd, gamma, beta, act, levels);
        } else {
            BatchNorm.output(rows, n, xhat, mean, invStd, gamma, beta, act);
        }
        StepProfile.add(StepProfile.Part.BATCH_NORM, t);
    }

    /**
     * From dL/d(output) in d (the dropout mask and the clip's gradient still to apply) to the
     * weight gradient and, unless first, dL/d(input) in dIn.
     */
    void backward() {
        long t = StepProfile.start();
        BatchNorm.backward(core, rows, n, d, xhat, hidden, drop, gamma, beta, invStd, scale, gradGamma, gradBeta,
                partA, partB);
        StepProfile.add(StepProfile.Part.BATCH_NORM, t);
        t = StepProfile.start();
        dzView.put(0, d);
        StepProfile.add(StepProfile.Part.COPY_TO_NATIVE, t);
        t = StepProfile.start();
        Nd4j.gemm(dz, patches, gradW, true, false, 1.0, 0.0);       // dL/dWb = dz^T patches
        StepProfile.add(StepProfile.Part.GEMM, t);
        if (dIn == null) {
            return;
        }
        t = StepProfile.start();
        Nd4j.gemm(dz, wb, dPatches, false, false, 1.0, 0.0);        // dL/d(patches) = dz Wb
        StepProfile.add(StepProfile.Part.GEMM, t);
        t = StepProfile.start();
        if (!conv) {
            dPatchesView.get(0, dIn);                                // a dense layer's patches are its input
            StepProfile.add(StepProfile.Part.COPY_TO_NATIVE, t);
            return;
        }
        int c = in.channels();
        int perImage = out.positions() * cols;
        core.split(batch, (long) rows * cols, (from, to, half) -> {
            dPatchesView.get(from * perImage, patchHeap, from * perImage, (to - from) * perImage);
            Im2col.scatterAdd(patchHeap, from, to, c, in.height(), in.width(), k, pad, out.height(), out.width(), dIn);
        });
        StepProfile.add(StepProfile.Part.IM2COL, t);
    }

    float[][] state() {
        return new float[][] {w, gamma, beta, runMean, runVar, mW, vW, mGamma, vGamma, mBeta, vBeta};
    }
}
