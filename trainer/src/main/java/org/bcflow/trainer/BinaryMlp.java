package org.bcflow.trainer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bcflow.core.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The BinaryConnect MLP on ND4J, forward and backward written out by hand.
 *
 * <p>Rows are images: a batch of inputs is a [batch, inputs] matrix. Per layer, with
 * {@code Wb = sign(W)} (sign(0) = +1):
 * <pre>
 *   z = x Wb^T                                  (no bias: beta takes its place)
 *   y = gamma (z - mean) / sqrt(var + eps) + beta
 *   a = clip(y, 0, 1)                           (hidden layers; the last layer's y are the scores)
 *   L = mean over batch and classes of max(0, 1 - t y)^2,  t = +1 for the label, -1 otherwise
 * </pre>
 * Training normalises with the mini-batch mean and biased variance and keeps running averages
 * (momentum {@value #BN_MOMENTUM}: {@code r = 0.9 r + 0.1 batchValue}, the variance unbiased, as in
 * PyTorch) for inference. The gradient with respect to Wb updates W (straight-through), Adam with
 * the learning rate times {@code 1/sqrt(1.5 / (fanIn + fanOut))} for W and the plain rate for
 * gamma and beta; then W is clipped to [-1, 1] and binarized again.
 *
 * <p>Every array is allocated once in the constructor: the hot loop runs gemm with transpose
 * flags and in-place element-wise ops only. Element-wise work on the small [batch, outputs]
 * matrices that is clearer as a loop (clip mask, loss) runs in Java on views of the native
 * buffers. Not thread-safe.
 */
final class BinaryMlp {
    static final float BN_EPS = 1e-4f;
    static final double BN_MOMENTUM = 0.1;
    static final double ADAM_BETA1 = 0.9;
    static final double ADAM_BETA2 = 0.999;
    static final double ADAM_EPS = 1e-8;
    /** Arrays per layer in {@link #state()}. */
    static final int STATE_ARRAYS = 11;

    private final int batch;
    private final Layer[] layers;
    private final INDArray input;        // [batch, inputs]
    private final FloatBuffer inputView;
    private long adamSteps;              // updates done so far (Adam's t - 1)

    private static final class Layer {
        final int in;
        final int out;
        final boolean hidden;
        final double lrScale;                          // the paper's "Glorot" learning-rate scale for W
        final INDArray w, wb, gradW, mW, vW;           // [out, in]: real and binary weights, Adam moments
        final INDArray gamma, beta, gradGamma, gradBeta, mGamma, vGamma, mBeta, vBeta; // [out]
        final INDArray runMean, runVar;                // [out] inference statistics
        final INDArray mean, invStd, scale;            // [out] per-batch scratch
        final INDArray xhat, y, dy, tmp;               // [batch, out]: normalised z, output, gradient, scratch
        final FloatBuffer yView, dyView;

        Layer(int in, int out, boolean hidden, int batch) {
            this.in = in;
            this.out = out;
            this.hidden = hidden;
            this.lrScale = 1.0 / Math.sqrt(1.5 / (in + out));
            w = matrix(out, in);
            wb = matrix(out, in);
            gradW = matrix(out, in);
            mW = matrix(out, in);
            vW = matrix(out, in);
            gamma = vector(out).assign(1.0);
            beta = vector(out);
            gradGamma = vector(out);
            gradBeta = vector(out);
            mGamma = vector(out);
            vGamma = vector(out);
            mBeta = vector(out);
            vBeta = vector(out);
            runMean = vector(out);
            runVar = vector(out).assign(1.0);
            mean = vector(out);
            invStd = vector(out);
            scale = vector(out);
            xhat = matrix(batch, out);
            y = matrix(batch, out);
            dy = matrix(batch, out);
            tmp = matrix(batch, out);
            yView = view(y);
            dyView = view(dy);
        }

        INDArray[] state() {
            return new INDArray[] {w, gamma, beta, runMean, runVar, mW, vW, mGamma, vGamma, mBeta, vBeta};
        }
    }

    /** A net with layer sizes {@code sizes} (inputs first, classes last), W = 0 until initialised. */
    BinaryMlp(int[] sizes, int batch) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("need at least an input and an output size");
        }
        this.batch = batch;
        this.layers = new Layer[sizes.length - 1];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(sizes[i], sizes[i + 1], i < layers.length - 1, batch);
        }
        this.input = matrix(batch, sizes[0]);
        this.inputView = view(input);
        binarize();
    }

    /** W ~ Uniform(-1, 1), drawn layer by layer in row-major order; gamma 1, beta 0. */
    void initialise(long seed) {
        Random rnd = new Random(seed);
        for (Layer l : layers) {
            float[] w = new float[l.out * l.in];
            for (int i = 0; i < w.length; i++) {
                w[i] = rnd.nextFloat() * 2f - 1f;
            }
            put(l.w, w);
        }
        binarize();
    }

    int batchSize() {
        return batch;
    }

    int layerCount() {
        return layers.length;
    }

    /** Loads images {@code indices} as the rows of the input batch (pixel / 255); rows past indices.length keep old data. */
    void load(LabeledImages images, int[] indices, int count) {
        int n = images.pixelsPerImage();
        byte[] pixels = images.pixels();
        for (int r = 0; r < count; r++) {
            int base = indices[r] * n;
            for (int j = 0; j < n; j++) {
                inputView.put(r * n + j, (pixels[base + j] & 0xff) / 255f);
            }
        }
    }

    /** One training step on the loaded batch; returns the loss and adds the misclassified images to errors[0]. */
    double trainStep(int[] labels, double lr, int[] errors) {
        forward(true);
        double loss = lossGradient(labels, errors);
        backward();
        update(lr);
        return loss;
    }

    /** Forward pass over the loaded batch: batch statistics when training, running averages otherwise. */
    void forward(boolean training) {
        INDArray x = input;
        for (Layer l : layers) {
            Nd4j.gemm(x, l.wb, l.xhat, false, true, 1.0, 0.0);               // z = x Wb^T
            if (training) {
                l.xhat.mean(l.mean, 0);
                Nd4j.exec(new BroadcastSubOp(l.xhat, l.mean, l.xhat, 1));      // z - mean
                l.xhat.mul(l.xhat, l.tmp).mean(l.invStd, 0);                   // biased variance
                l.runMean.muli(1 - BN_MOMENTUM);
                Nd4j.getBlasWrapper().axpy(BN_MOMENTUM, l.mean, l.runMean);
                l.runVar.muli(1 - BN_MOMENTUM);
                Nd4j.getBlasWrapper().axpy(BN_MOMENTUM * batch / (batch - 1.0), l.invStd, l.runVar);
                Transforms.sqrt(l.invStd.addi(BN_EPS), false).rdivi(1.0);      // 1 / sqrt(var + eps)
                Nd4j.exec(new BroadcastMulOp(l.xhat, l.invStd, l.xhat, 1));   // xhat
                Nd4j.exec(new BroadcastMulOp(l.xhat, l.gamma, l.y, 1));
            } else {
                Nd4j.exec(new BroadcastSubOp(l.xhat, l.runMean, l.xhat, 1));
                Transforms.sqrt(l.scale.assign(l.runVar).addi(BN_EPS), false).rdivi(l.gamma);
                Nd4j.exec(new BroadcastMulOp(l.xhat, l.scale, l.y, 1));        // gamma (z - mean) / sqrt(var + eps)
            }
            Nd4j.exec(new BroadcastAddOp(l.y, l.beta, l.y, 1));
            if (l.hidden) {
                Transforms.min(Transforms.max(l.y, 0.0, false), 1.0, false);   // clip(y, 0, 1)
            }
            x = l.y;
        }
    }

    /**
     * Squared hinge loss of the last forward pass, averaged over batch and classes; writes
     * dL/dscores into the last layer's gradient buffer. Adds the misclassified rows to errors[0].
     */
    double lossGradient(int[] labels, int[] errors) {
        Layer last = layers[layers.length - 1];
        int classes = last.out;
        double loss = 0;
        double g = -2.0 / ((double) batch * classes);
        for (int r = 0; r < batch; r++) {
            int best = 0;
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                float y = last.yView.get(i);
                double t = c == labels[r] ? 1.0 : -1.0;
                double margin = Math.max(0.0, 1.0 - t * y);
                loss += margin * margin;
                last.dyView.put(i, (float) (g * t * margin));
                if (y > last.yView.get(r * classes + best)) {
                    best = c;
                }
            }
            if (best != labels[r]) {
                errors[0]++;
            }
        }
        return loss / ((double) batch * classes);
    }

    /** Backpropagates the gradient left by {@link #lossGradient} into gradW, gradGamma, gradBeta. */
    void backward() {
        for (int i = layers.length - 1; i >= 0; i--) {
            Layer l = layers[i];
            if (l.hidden) {                                                   // clip passes the gradient only inside (0, 1)
                for (int k = 0, n = batch * l.out; k < n; k++) {
                    float a = l.yView.get(k);
                    if (!(a > 0f && a < 1f)) {
                        l.dyView.put(k, 0f);
                    }
                }
            }
            l.xhat.mul(l.dy, l.tmp).sum(l.gradGamma, 0);
            l.dy.sum(l.gradBeta, 0);
            // dL/dz = gamma / sqrt(var + eps) / B * (B dy - sum(dy) - xhat sum(dy xhat))
            Nd4j.exec(new BroadcastMulOp(l.xhat, l.gradGamma, l.tmp, 1));
            l.dy.muli(batch).subi(l.tmp);
            Nd4j.exec(new BroadcastSubOp(l.dy, l.gradBeta, l.dy, 1));
            l.scale.assign(l.gamma).muli(l.invStd).muli(1.0 / batch);
            Nd4j.exec(new BroadcastMulOp(l.dy, l.scale, l.dy, 1));             // dy now holds dL/dz
            INDArray x = i == 0 ? input : layers[i - 1].y;
            Nd4j.gemm(l.dy, x, l.gradW, true, false, 1.0, 0.0);               // dL/dWb = dz^T x
            if (i > 0) {
                Nd4j.gemm(l.dy, l.wb, layers[i - 1].dy, false, false, 1.0, 0.0); // dL/dx = dz Wb
            }
        }
    }

    /** Adam step on W (scaled rate), gamma and beta; clips W to [-1, 1] and binarizes it again. */
    void update(double lr) {
        for (Layer l : layers) {
            adam(l.w, l.gradW, l.mW, l.vW, lr * l.lrScale);
            Transforms.max(Transforms.min(l.w, 1.0, false), -1.0, false);
            adam(l.gamma, l.gradGamma, l.mGamma, l.vGamma, lr);
            adam(l.beta, l.gradBeta, l.mBeta, l.vBeta, lr);
        }
        adamSteps++;
        binarize();
    }

    /**
     * Adam (libnd4j's fused op, the gradient array becomes the step):
     * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps).
     */
    private void adam(INDArray p, INDArray g, INDArray m, INDArray v, double lr) {
        Nd4j.exec(new AdamUpdater(g, v, m, lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, (int) adamSteps));
        p.subi(g);
    }

    /** Wb = sign(W) with sign(0) = +1, computed as sign(sign(W) + 0.5). */
    private void binarize() {
        for (Layer l : layers) {
            Transforms.sign(Transforms.sign(l.wb.assign(l.w), false).addi(0.5), false);
        }
    }

    /** Misclassified images among the first {@code count} rows after an inference forward pass. */
    int errors(int[] labels, int count) {
        Layer last = layers[layers.length - 1];
        int wrong = 0;
        for (int r = 0; r < count; r++) {
            int best = 0;
            for (int c = 1; c < last.out; c++) {
                if (last.yView.get(r * last.out + c) > last.yView.get(r * last.out + best)) {
                    best = c;
                }
            }
            wrong += best != labels[r] ? 1 : 0;
        }
        return wrong;
    }

    /** The scores of the last forward pass, [batch, classes] row-major. */
    float[] scores() {
        return get(layers[layers.length - 1].y);
    }

    float[] gradW(int layer) {
        return get(layers[layer].gradW);
    }

    float[] gradGamma(int layer) {
        return get(layers[layer].gradGamma);
    }

    float[] gradBeta(int layer) {
        return get(layers[layer].gradBeta);
    }

    float[] binaryWeights(int layer) {
        return get(layers[layer].wb);
    }

    long adamSteps() {
        return adamSteps;
    }

    /** Everything training carries from step to step: per layer {@value #STATE_ARRAYS} arrays (see Layer.state). */
    float[][] state() {
        float[][] s = new float[layers.length * STATE_ARRAYS][];
        for (int i = 0; i < layers.length; i++) {
            INDArray[] a = layers[i].state();
            for (int k = 0; k < STATE_ARRAYS; k++) {
                s[i * STATE_ARRAYS + k] = get(a[k]);
            }
        }
        return s;
    }

    void setState(float[][] s, long steps) {
        if (s.length != layers.length * STATE_ARRAYS) {
            throw new IllegalArgumentException("state has " + s.length + " arrays, expected " + layers.length * STATE_ARRAYS);
        }
        for (int i = 0; i < layers.length; i++) {
            INDArray[] a = layers[i].state();
            for (int k = 0; k < STATE_ARRAYS; k++) {
                put(a[k], s[i * STATE_ARRAYS + k]);
            }
        }
        adamSteps = steps;
        binarize();
    }

    /** Sets W, gamma, beta and the running statistics from a float model (Adam moments untouched). */
    void setModel(FloatModel m) {
        for (int i = 0; i < layers.length; i++) {
            FloatLayer f = m.layers().get(i);
            Layer l = layers[i];
            put(l.w, f.weights());
            put(l.gamma, f.gamma());
            put(l.beta, f.beta());
            put(l.runMean, f.runningMean());
            put(l.runVar, f.runningVar());
        }
        binarize();
    }

    FloatModel toFloatModel() {
        List<FloatLayer> out = new ArrayList<>();
        for (Layer l : layers) {
            out.add(new FloatLayer(l.in, l.out, get(l.w), get(l.gamma), get(l.beta), get(l.runMean), get(l.runVar), BN_EPS));
        }
        return new FloatModel(out);
    }

    private static INDArray matrix(int rows, int cols) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
    }

    private static INDArray vector(int n) {
        return Nd4j.create(DataType.FLOAT, new long[] {n}, 'c');
    }

    private static FloatBuffer view(INDArray a) {
        return a.data().asNioFloat();
    }

    private static void put(INDArray a, float[] values) {
        if (values.length != a.length()) {
            throw new IllegalArgumentException("expected " + a.length() + " values, got " + values.length);
        }
        view(a).put(0, values);
    }

    private static float[] get(INDArray a) {
        float[] out = new float[(int) a.length()];
        view(a).get(0, out);
        return out;
    }
}
