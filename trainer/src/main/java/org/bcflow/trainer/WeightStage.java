package org.bcflow.trainer;

import java.nio.FloatBuffer;
import java.util.Arrays;
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
    final float[] wbHeap, gradWHeap;
    final float[][] patchHeap;                                  // conv only, per half: one image's rows, im2col's both ways
    final float[] act, d, drop;
    final float[] mean, invStd, scale, gradGamma, gradBeta;
    final float[][] partA, partB;                               // per half: partial sums [n]
    /** Images per block of the batch-norm passes, and per half a block's z, its dL/dy (when not d's), its dL/dz. */
    final int block;
    final float[][] zBlock, dyBlock, dzBlock;
    final BatchNorm.Moments[] moments;                          // per half
    /** The max-pool right after this layer, run image by image with its activation (null: none). */
    MaxPool pool;
    /** Per output of that max-pool, z where its maximum came from (what the backward pass needs of z there). */
    private float[] zAtMax;
    /** Per channel 1 where gamma >= 0, else -1: the direction in which the activation grows with z. */
    private float[] gammaSign;
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
        block = BatchNorm.blockImages((long) out.positions() * n);
        int blockValues = Math.min(batch, block) * out.positions() * n;
        zBlock = new float[2][blockValues]; dyBlock = new float[2][blockValues]; dzBlock = new float[2][blockValues];
        moments = new BatchNorm.Moments[] {new BatchNorm.Moments(n), new BatchNorm.Moments(n)};
        act = new float[rows * n]; d = new float[rows * n];
        drop = hidden && m.dropoutHidden() > 0 ? new float[rows * n] : null;
        wb = MlpLayer.matrix(n, cols); gradW = MlpLayer.matrix(n, cols);
        patches = MlpLayer.matrix(rows, cols);
        z = MlpLayer.matrix(rows, n); dz = MlpLayer.matrix(rows, n);
        wbView = MlpLayer.view(wb); gradWView = MlpLayer.view(gradW); patchesView = MlpLayer.view(patches);
        zView = MlpLayer.view(z); dzView = MlpLayer.view(dz);
        patchHeap = conv ? new float[2][out.positions() * cols] : null;
        dPatches = first ? null : MlpLayer.matrix(rows, cols);
        dPatchesView = first ? null : MlpLayer.view(dPatches);
    }

    /** The input batch (maps in HWC, image after image) into the patch matrix. */
    void loadInput(float[] x) {
        long t = StepProfile.start();
        if (conv) {
            int c = in.channels();
            int perImage = out.positions() * cols;
            core.split(batch, (long) rows * cols, (from, to, half) -> {
                for (int b = from; b < to; b++) {            // an image at a time, through a buffer that stays in the cache
                    Im2col.gather(x, b, b + 1, c, in.height(), in.width(), k, pad, out.height(), out.width(), patchHeap[half]);
                    patchesView.put(b * perImage, patchHeap[half], 0, perImage);
                }
            });
        } else {
            patchesView.put(0, x, 0, batch * cols);
        }
        StepProfile.add(conv ? StepProfile.Part.IM2COL : StepProfile.Part.COPY_TO_NATIVE, t);
    }

    /**
     * z = patches Wb^T, then batch norm and activation into act; or, with the max-pool after this
     * layer ({@link #pool}), the pool's outputs, pooled from z in the same read of it as the
     * statistics, act left as it is (unless {@code poolApart}: dropout comes between them).
     */
    void forward(boolean training, float[] levels, boolean poolApart) {
        long t = StepProfile.start();
        Nd4j.gemm(patches, wb, z, false, true, 1.0, 0.0);
        StepProfile.add(StepProfile.Part.GEMM, t);
        t = StepProfile.start();
        int per = out.positions();
        int perImage = per * n;
        MaxPool fused = hidden && !poolApart ? pool : null;
        BatchNorm.BlockOfZ pooling = null;
        if (fused != null) {
            if (zAtMax == null) {
                zAtMax = new float[fused.out.length];
                gammaSign = new float[n];
            }
            for (int c = 0; c < n; c++) {
                gammaSign[c] = gamma[c] >= 0 ? 1f : -1f;
            }
            // the activation is monotone in y, and y in z, increasing where gamma >= 0 and decreasing where not
            // (in floats too: rounding is monotone): so the maximum of a window's activations is the activation of
            // its largest z, or of its smallest, found in the statistics' read of z; only those need y
            pooling = (zb, offset, first, end) -> fused.forward(zb, offset, first, end, gammaSign);
        }
        BatchNorm.statistics(core, training, batch, per, n, zView, zBlock, mean, invStd, runMean, runVar, moments, pooling);
        StepProfile.add(StepProfile.Part.BN_STATISTICS, t);
        t = StepProfile.start();
        if (!hidden) {                                                  // the scores: few, on this thread
            for (int b = 0; b < batch; b += block) {
                int end = Math.min(batch, b + block);
                zView.get(b * perImage, zBlock[0], 0, (end - b) * perImage);
                BatchNorm.affine((end - b) * per, n, zBlock[0], 0, mean, invStd, gamma, beta, act, b * perImage);
            }
            StepProfile.add(StepProfile.Part.ACTIVATION, t);
            return;
        }
        if (fused != null) {
            int perOut = fused.outH * fused.outW * n;
            core.split(batch, (long) batch * perOut, (from, to, half) -> {
                for (int o = from * perOut; o < to * perOut; o += n) {
                    for (int c = 0; c < n; c++) {
                        zAtMax[o + c] = fused.out[o + c] * gammaSign[c];
                    }
                }
                BatchNorm.affine((to - from) * perOut / n, n, zAtMax, from * perOut, mean, invStd, gamma, beta, fused.out,
                        from * perOut);
                BatchNorm.activate(fused.out, from * perOut, to * perOut, levels);
            });
        } else {
            core.split(batch, (long) rows * n, (from, to, half) -> {
                for (int b = from; b < to; b += block) {
                    int end = Math.min(to, b + block);
                    zView.get(b * perImage, zBlock[half], 0, (end - b) * perImage);
                    BatchNorm.affine((end - b) * per, n, zBlock[half], 0, mean, invStd, gamma, beta, act, b * perImage);
                    BatchNorm.activate(act, b * perImage, end * perImage, levels);
                }
            });
        }
        StepProfile.add(StepProfile.Part.ACTIVATION, t);
    }

    /**
     * From dL/d(output) (the max-pool's above this layer, or d; the dropout mask and the clip's
     * gradient still to apply) to the weight gradient and, unless first, dL/d(input) in dIn.
     */
    void backward() {
        long t = StepProfile.start();
        if (pool != null && drop == null) {
            backwardThroughPool();
        } else {
            backwardDense();
        }
        StepProfile.add(StepProfile.Part.BN_BACKWARD, t);
        weightAndInputGradients();
    }

    /**
     * Batch norm's backward pass under a max-pool (pooled in {@link #forward}): dL/dy is zero but
     * at each window's maximum, so the sums run over the pool's outputs alone, from z at the maxima
     * ({@link BatchNorm#backwardSumsAtMaxima}, {@link BatchNorm#backwardInputUnderPool}).
     */
    private void backwardThroughPool() {
        int per = out.positions();
        int perImage = per * n;
        int perOut = pool.outH * pool.outW * n;
        core.split(batch, (long) batch * perOut, (from, to, half) -> {
            Arrays.fill(partA[half], 0f);
            Arrays.fill(partB[half], 0f);
            BatchNorm.backwardSumsAtMaxima(from * perOut, to * perOut, n, pool.dOut, zAtMax, mean, invStd, gamma, beta,
                    partA[half], partB[half]);
        });
        sumHalves();
        core.split(batch, (long) rows * n, (from, to, half) -> {
            for (int i = from; i < to; i += block) {
                int end = Math.min(to, i + block);
                int offset = i * perImage;
                zView.get(offset, zBlock[half], 0, (end - i) * perImage);
                BatchNorm.backwardInputUnderPool((end - i) * per, n, rows, zBlock[half], mean, invStd, gamma, beta, scale,
                        gradGamma, gradBeta, dzBlock[half], offset, i * perOut, end * perOut, pool.dOut, zAtMax, pool.from);
                dzView.put(offset, dzBlock[half], 0, (end - i) * perImage);
            }
        });
    }

    private void sumHalves() {
        for (int c = 0; c < n; c++) {
            gradGamma[c] = partA[0][c] + partA[1][c];
            gradBeta[c] = partB[0][c] + partB[1][c];
            scale[c] = gamma[c] * invStd[c] / rows;
        }
    }

    /** Batch norm's backward pass on a dense dL/dy (no max-pool after this layer, or dropout before it). */
    private void backwardDense() {
        int per = out.positions();
        int perImage = per * n;
        core.split(batch, (long) rows * n, (from, to, half) -> {
            float[] g = partA[half];
            float[] b = partB[half];
            Arrays.fill(g, 0f);
            Arrays.fill(b, 0f);
            for (int i = from; i < to; i += block) {
                int end = Math.min(to, i + block);
                zView.get(i * perImage, zBlock[half], 0, (end - i) * perImage);
                float[] dy = gradientOfOutput(i, end, half);
                BatchNorm.backwardSums((end - i) * per, n, dy, dy == d ? i * perImage : 0, zBlock[half], hidden, mean, invStd,
                        gamma, beta, g, b);
            }
        });
        sumHalves();
        core.split(batch, (long) rows * n, (from, to, half) -> {
            for (int i = from; i < to; i += block) {
                int end = Math.min(to, i + block);
                zView.get(i * perImage, zBlock[half], 0, (end - i) * perImage);
                float[] dy = gradientOfOutput(i, end, half);
                BatchNorm.backwardInput((end - i) * per, n, rows, dy, dy == d ? i * perImage : 0, zBlock[half], hidden, mean,
                        invStd, gamma, beta, scale, gradGamma, gradBeta, dzBlock[half]);
                dzView.put(i * perImage, dzBlock[half], 0, (end - i) * perImage);
            }
        });
    }

    /** From dL/dz (native) to the weight gradient and, unless first, dL/d(input) in dIn. */
    private void weightAndInputGradients() {
        long t = StepProfile.start();
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
        int patchesPerImage = out.positions() * cols;
        core.split(batch, (long) rows * cols, (from, to, half) -> {
            for (int b = from; b < to; b++) {
                dPatchesView.get(b * patchesPerImage, patchHeap[half], 0, patchesPerImage);
                Im2col.scatterAdd(patchHeap[half], b, b + 1, c, in.height(), in.width(), k, pad, out.height(), out.width(), dIn);
            }
        });
        StepProfile.add(StepProfile.Part.IM2COL, t);
    }

    /**
     * dL/dy of images [from, end) with the dropout factors applied: d itself (the whole batch's,
     * from the block's first index), or a block of its own in dyBlock: the max-pool's gradient
     * when one follows, or d's values times the factors (d stays unscaled: both backward passes
     * read it).
     */
    private float[] gradientOfOutput(int from, int end, int half) {
        int perImage = out.positions() * n;
        if (pool == null && drop == null) {
            return d;
        }
        float[] dy = dyBlock[half];
        int values = (end - from) * perImage;
        if (pool != null) {
            pool.backward(dy, from * perImage, from, end);
        } else {
            System.arraycopy(d, from * perImage, dy, 0, values);
        }
        if (drop != null) {
            for (int j = 0, i = from * perImage; j < values; j++, i++) {
                dy[j] *= drop[i];
            }
        }
        return dy;
    }

    float[][] state() {
        return new float[][] {w, gamma, beta, runMean, runVar, mW, vW, mGamma, vGamma, mBeta, vBeta};
    }
}
