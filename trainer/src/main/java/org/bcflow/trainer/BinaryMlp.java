package org.bcflow.trainer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bcflow.core.Argmax;
import org.bcflow.core.data.LabeledImages;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BinaryConnect MLP, forward and backward written out by hand.
 *
 * <p>Rows are images: a batch of inputs is a [batch, inputs] matrix. Per layer, with
 * {@code Wb = sign(W)} (sign(0) = +1):
 * <pre>
 *   z = x Wb^T                                  (no bias: beta takes its place)
 *   y = gamma (z - mean) / sqrt(var + eps) + beta
 *   a = clip(y, 0, 1)                           (hidden layers; the last layer's y are the scores)
 *   L = mean over batch and classes of max(0, 1 - t y)^2,  t = +1 for the label, -1 otherwise
 * </pre>
 * That is the paper's deterministic method, the default; {@link TrainConfig.Method} selects
 * stochastic binarization (Wb = +1 with probability hard_sigmoid(W), sampled per weight per step
 * from a stream seeded by (seed, step, layer), so a resumed run samples what an uninterrupted one
 * does), no binarization (Wb = W, Glorot-uniform init, no clipping, no LR scale), cross-entropy,
 * Nesterov SGD, dropout (inverted, training only) and k-bit hidden activations
 * {@code round(clip(y, 0, 1) Q) / Q}, Q = 2^k - 1, whose gradient passes straight through where
 * 0 < y < 1.
 *
 * <p>Training normalises with the mini-batch mean and biased variance and keeps running averages
 * for inference (momentum {@value #BN_MOMENTUM}: {@code r = 0.9 r + 0.1 batchValue}, the
 * variance unbiased as in PyTorch). The gradient with respect to Wb updates W (straight-through):
 * Adam with the learning rate times {@code 1/sqrt(1.5 / (fanIn + fanOut))} for W and the plain
 * rate for gamma and beta; then W is clipped to [-1, 1] and binarized again.
 *
 * <p>Speed: the matrix products (all of the arithmetic that grows with the layer sizes) run in
 * ND4J's sgemm with transpose flags on native arrays allocated once. Everything element-wise
 * (batch norm, clip, loss, Adam) runs in plain Java loops over preallocated heap arrays, joined
 * to the native arrays by bulk copies: on these small matrices an ND4J element-wise op costs more
 * in dispatch than the work it does, while the JIT vectorizes the loops below (the figures are in
 * docs/results.md). Nothing is allocated per step. Not thread-safe.
 */
final class BinaryMlp implements TrainableNet {
    static final float BN_EPS = 1e-4f;
    static final float BN_MOMENTUM = 0.1f;
    /** Nets with at least this many weights update them on a second thread during backpropagation. */
    static final long PARALLEL_UPDATE_WEIGHTS = 500_000;
    /** Arrays per layer in {@link #state()}. */
    static final int STATE_ARRAYS = 11;


    private final int batch;
    private final MlpLayer[] layers;
    private final TrainConfig.Method method;
    private final RandomStreams streams;
    private final float q;                           // 2^k - 1 for k-bit activations, 0 for float
    private final INDArray input;                    // [batch, inputs], pixel / 255 (dropped out in training)
    private final FloatBuffer inputView;
    private final float[] inputHeap;                 // the loaded batch, pixel / 255
    private final float[] inputDropped;              // scratch for input dropout, or null
    private long adamSteps;                          // updates done so far
    private final ForwardWeights forward;            // what the native Wb arrays hold
    private final boolean parallelUpdate;            // layer updates on a second thread, overlapping backward
    private UpdateWorker worker;                     // started by the first training step that uses it

    /** A deterministic BinaryConnect net with layer sizes {@code sizes} (inputs first, classes last); W = 0 until initialised. */
    BinaryMlp(int[] sizes, int batch) {
        this(sizes, batch, TrainConfig.Method.defaults(), 0);
    }

    /**
     * @param seed seeds the random streams of stochastic binarization and dropout (with the step number)
     */
    BinaryMlp(int[] sizes, int batch, TrainConfig.Method method, long seed) {
        if (sizes.length < 2 || batch < 2) {
            throw new IllegalArgumentException("need an input and an output size and a batch of at least 2");
        }
        this.batch = batch;
        this.method = method;
        this.streams = new RandomStreams(seed);
        this.q = method.activationBits() == 0 ? 0f : (1 << method.activationBits()) - 1;
        this.layers = new MlpLayer[sizes.length - 1];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new MlpLayer(sizes[i], sizes[i + 1], i < layers.length - 1, batch, method);
        }
        float[][] w = new float[layers.length][];
        float[][] heap = new float[layers.length][];
        FloatBuffer[] wb = new FloatBuffer[layers.length];
        for (int i = 0; i < layers.length; i++) {
            w[i] = layers[i].w;
            heap[i] = layers[i].wbHeap;
            wb[i] = layers[i].wbView;
        }
        this.forward = new ForwardWeights(w, heap, wb);
        this.input = MlpLayer.matrix(batch, sizes[0]);
        this.inputView = MlpLayer.view(input);
        this.inputHeap = new float[batch * sizes[0]];
        this.inputDropped = method.dropoutInput() > 0 ? new float[batch * sizes[0]] : null;
        long weights = 0;
        for (MlpLayer l : layers) {
            weights += l.w.length;
        }
        // worth a thread hand-over (tens of microseconds) only for big layers, and only with a second core
        // (-Dbcflow.parallelUpdate=false turns it off, to measure what it brings)
        this.parallelUpdate = weights >= PARALLEL_UPDATE_WEIGHTS && Runtime.getRuntime().availableProcessors() > 1
                && !"false".equals(System.getProperty("bcflow.parallelUpdate"));
        defaultWeights();
    }

    /**
     * Binary nets: W ~ Uniform(-1, 1) (the paper's H = 1); real-valued nets: Glorot uniform,
     * W ~ Uniform(-sqrt(6 / (in + out)), +sqrt(6 / (in + out))). Drawn layer by layer in row-major
     * order from {@code new Random(seed)}.
     */
    @Override
    public void initialise(long seed) {
        Random rnd = new Random(seed);
        for (MlpLayer l : layers) {
            float h = method.binary() ? 1f : (float) Math.sqrt(6.0 / (l.in + l.out));
            for (int i = 0; i < l.w.length; i++) {
                l.w[i] = (rnd.nextFloat() * 2f - 1f) * h;
            }
        }
        defaultWeights();
    }

    @Override
    public int batchSize() {
        return batch;
    }

    TrainConfig.Method method() {
        return method;
    }

    /** Loads images {@code indices[0..count)} as the first rows of the input batch (pixel / 255). */
    @Override
    public void load(LabeledImages images, int[] indices, int count) {
        int n = images.pixelsPerImage();
        byte[] pixels = images.pixels();
        for (int r = 0; r < count; r++) {
            int base = indices[r] * n;
            for (int j = 0, i = r * n; j < n; j++, i++) {
                inputHeap[i] = (pixels[base + j] & 0xff) / 255f;
            }
        }
        inputView.put(0, inputHeap, 0, count * n);
    }

    /** One training step on the loaded batch; returns the loss and adds the misclassified images to errors[0]. */
    @Override
    public double trainStep(int[] labels, double lr, int[] errors) {
        forward.forStep(method.binarization(), streams, adamSteps);
        return parallelUpdate ? stepOverlapped(labels, lr, errors) : stepSequential(labels, lr, errors);
    }

    /** {@link #trainStep} without the update thread (for tests: it must give the same bits). */
    double trainStepSequential(int[] labels, double lr, int[] errors) {
        forward.forStep(method.binarization(), streams, adamSteps);
        return stepSequential(labels, lr, errors);
    }

    private double stepSequential(int[] labels, double lr, int[] errors) {
        forward(true);
        double loss = lossGradient(labels, errors);
        backward();
        update(lr);
        return loss;
    }

    private double stepOverlapped(int[] labels, double lr, int[] errors) {
        forward(true);
        double loss = lossGradient(labels, errors);
        if (worker == null) {
            worker = new UpdateWorker(layers.length, this::updateTask);
        }
        beginUpdate(lr);
        backward(true);
        worker.await();
        endUpdate();
        return loss;
    }

    /** Puts the weights of a test mode into the forward pass; {@code sample} numbers the nets of an ensemble. */
    @Override
    public void useTestWeights(TrainConfig.TestMode mode, int sample) {
        forward.forTest(mode, streams, sample);
    }

    /** Forward pass over the loaded batch: batch statistics (and dropout) when training, running averages otherwise. */
    @Override
    public void forward(boolean training) {
        if (training && inputDropped != null) {
            RandomStreams.dropout(inputHeap, inputDropped, null, method.dropoutInput(),
                    streams.seed(RandomStreams.DROPOUT, adamSteps, -1));
            inputView.put(0, inputDropped);
        }
        INDArray x = input;
        for (int k = 0; k < layers.length; k++) {
            MlpLayer l = layers[k];
            Nd4j.gemm(x, l.wb, l.z, false, true, 1.0, 0.0);              // z = x Wb^T
            l.zView.get(0, l.xhat);                                          // xhat holds z for now
            int n = l.out;
            if (training) {
                Arrays.fill(l.mean, 0f);
                Arrays.fill(l.invStd, 0f);
                for (int r = 0; r < batch; r++) {
                    for (int c = 0, i = r * n; c < n; c++, i++) {
                        l.mean[c] += l.xhat[i];
                    }
                }
                for (int c = 0; c < n; c++) {
                    l.mean[c] /= batch;
                }
                for (int r = 0; r < batch; r++) {
                    for (int c = 0, i = r * n; c < n; c++, i++) {
                        float dev = l.xhat[i] - l.mean[c];
                        l.invStd[c] += dev * dev;                            // sum of squares for now
                    }
                }
                for (int c = 0; c < n; c++) {
                    float var = l.invStd[c] / batch;                         // biased, for normalising
                    l.runMean[c] = (1 - BN_MOMENTUM) * l.runMean[c] + BN_MOMENTUM * l.mean[c];
                    l.runVar[c] = (1 - BN_MOMENTUM) * l.runVar[c] + BN_MOMENTUM * var * batch / (batch - 1);
                    l.invStd[c] = (float) (1 / Math.sqrt(var + BN_EPS));
                }
            } else {
                for (int c = 0; c < n; c++) {
                    l.mean[c] = l.runMean[c];
                    l.invStd[c] = (float) (1 / Math.sqrt(l.runVar[c] + BN_EPS));
                }
            }
            if (l.hidden) {
                for (int r = 0; r < batch; r++) {
                    for (int c = 0, i = r * n; c < n; c++, i++) {
                        float xh = (l.xhat[i] - l.mean[c]) * l.invStd[c];
                        float y = l.gamma[c] * xh + l.beta[c];
                        l.xhat[i] = xh;
                        l.pre[i] = y;
                        l.act[i] = Math.min(1f, Math.max(0f, y));              // clip(y, 0, 1)
                    }
                }
                if (q > 0) {
                    for (int i = 0; i < batch * n; i++) {                     // round half up to k bits
                        l.act[i] = (float) Math.floor(l.act[i] * q + 0.5f) / q;
                    }
                }
                if (training && l.drop != null) {
                    RandomStreams.dropout(l.act, l.d, l.drop, method.dropoutHidden(),
                            streams.seed(RandomStreams.DROPOUT, adamSteps, k));  // d is free until backward
                    l.aView.put(0, l.d);
                } else {
                    l.aView.put(0, l.act);
                }
            } else {
                for (int r = 0; r < batch; r++) {
                    for (int c = 0, i = r * n; c < n; c++, i++) {
                        float xh = (l.xhat[i] - l.mean[c]) * l.invStd[c];
                        l.xhat[i] = xh;
                        l.act[i] = l.gamma[c] * xh + l.beta[c];
                    }
                }
            }
            x = l.a;
        }
    }

    /**
     * The loss of the last forward pass (squared hinge averaged over batch and classes, or
     * softmax cross-entropy averaged over the batch); leaves dL/dscores in the last layer's
     * gradient array. Adds the misclassified rows to errors[0].
     */
    double lossGradient(int[] labels, int[] errors) {
        MlpLayer last = layers[layers.length - 1];
        int classes = last.out;
        double loss = 0;
        if (method.loss() == TrainConfig.Loss.SQUARED_HINGE) {
            double g = -2.0 / ((double) batch * classes);
            for (int r = 0; r < batch; r++) {
                for (int c = 0, i = r * classes; c < classes; c++, i++) {
                    double t = c == labels[r] ? 1.0 : -1.0;
                    double margin = Math.max(0.0, 1.0 - t * last.act[i]);
                    loss += margin * margin;
                    last.d[i] = (float) (g * t * margin);
                }
            }
            loss /= (double) batch * classes;
        } else {
            for (int r = 0; r < batch; r++) {
                int base = r * classes;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, last.act[base + c]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(last.act[base + c] - max);
                }
                for (int c = 0; c < classes; c++) {
                    double p = Math.exp(last.act[base + c] - max) / sum;
                    last.d[base + c] = (float) ((p - (c == labels[r] ? 1 : 0)) / batch);
                }
                loss += Math.log(sum) + max - last.act[base + labels[r]];
            }
            loss /= batch;
        }
        errors[0] += errors(labels, batch);
        return loss;
    }

    /** Backpropagates the gradient left by {@link #lossGradient} into gradW, gradGamma, gradBeta. */
    void backward() {
        backward(false);
    }

    /**
     * Backpropagation; with {@code overlap}, each layer's update (prepared by {@link #beginUpdate})
     * goes to the worker thread as soon as that layer's gradients are done, while this thread
     * goes on with the matrix products of the layers below.
     */
    private void backward(boolean overlap) {
        for (int k = layers.length - 1; k >= 0; k--) {
            MlpLayer l = layers[k];
            int n = l.out;
            if (l.hidden) {
                l.daView.get(0, l.d);
                if (l.drop != null) {
                    for (int i = 0; i < batch * n; i++) {
                        l.d[i] *= l.drop[i];
                    }
                }
                passInsideUnitInterval(l.d, l.pre, batch * n);
            }
            Arrays.fill(l.gradGamma, 0f);
            Arrays.fill(l.gradBeta, 0f);
            for (int r = 0; r < batch; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    l.gradGamma[c] += l.d[i] * l.xhat[i];
                    l.gradBeta[c] += l.d[i];
                }
            }
            // dL/dz = gamma / sqrt(var + eps) / B * (B dy - sum(dy) - xhat sum(dy xhat))
            for (int c = 0; c < n; c++) {
                l.scale[c] = l.gamma[c] * l.invStd[c] / batch;
            }
            for (int r = 0; r < batch; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    l.d[i] = l.scale[c] * (batch * l.d[i] - l.gradBeta[c] - l.xhat[i] * l.gradGamma[c]);
                }
            }
            l.dzView.put(0, l.d);
            INDArray x = k == 0 ? input : layers[k - 1].a;
            Nd4j.gemm(l.dz, x, l.gradW, true, false, 1.0, 0.0);             // dL/dWb = dz^T x
            if (k > 0) {
                Nd4j.gemm(l.dz, l.wb, layers[k - 1].da, false, false, 1.0, 0.0); // dL/dx = dz Wb
            }
            if (overlap && k == 0) {
                // nothing is left for this thread to overlap: it takes half of the last update itself
                worker.submit(layers.length);
                updateLayerWeights(0, half(0), layers[0].w.length);
            } else if (overlap) {
                worker.submit(k);
            }
        }
    }

    /** The gradient of clip(y, 0, 1): see {@link BatchNorm#passInsideUnitInterval}. */
    static void passInsideUnitInterval(float[] d, float[] pre, int n) {
        BatchNorm.passInsideUnitInterval(d, pre, 0, n);
    }

    /**
     * Optimizer step on W (scaled rate), gamma and beta; binary nets then clip W to [-1, 1] (if
     * clipping is on); deterministic nets binarize it again.
     */
    void update(double lr) {
        beginUpdate(lr);
        for (int k = 0; k < layers.length; k++) {
            updateLayer(k);
        }
        endUpdate();
    }

    // the update in progress: step size correction, learning rate, what the W loop leaves in Wb
    private double updateLr;
    private double updateCorrection;
    private int updateNext;

    private void beginUpdate(double lr) {
        adamSteps++;
        updateLr = lr;
        updateCorrection = method.optimizer() == TrainConfig.Optimizer.ADAM
                ? Math.sqrt(1 - Math.pow(Optimizer.ADAM_BETA2, adamSteps)) / (1 - Math.pow(Optimizer.ADAM_BETA1, adamSteps)) : 1;
        // sign(W) (deterministic), W (none), nothing (stochastic: sampled before the next step)
        updateNext = switch (method.binarization()) {
            case DETERMINISTIC -> 1;
            case NONE -> 2;
            case STOCHASTIC -> 0;
        };
        forward.wrote(ForwardWeights.Kind.STALE);
    }

    private void endUpdate() {
        forward.wrote(updateNext == 1 ? ForwardWeights.Kind.SIGN : updateNext == 2 ? ForwardWeights.Kind.REAL
                : ForwardWeights.Kind.STALE);
    }

    /** Optimizer step of layer k; touches layer k's arrays only, so layers may run on different threads. */
    private void updateLayer(int k) {
        updateLayerWeights(k, 0, layers[k].w.length);
        updateLayerNorm(k);
    }

    /**
     * A task of the update worker: layer {@code task}, or for {@code task >= layers} the first half
     * of layer {@code task - layers}'s weights and its batch-norm parameters (the caller does the
     * second half meanwhile).
     */
    private void updateTask(int task) {
        if (task < layers.length) {
            updateLayer(task);
        } else {
            int k = task - layers.length;
            updateLayerWeights(k, 0, half(k));
            updateLayerNorm(k);
        }
    }

    private int half(int k) {
        return layers[k].w.length / 2;
    }

    /** Optimizer step of weights [from, to) of layer k: disjoint ranges may run on different threads. */
    private void updateLayerWeights(int k, int from, int to) {
        MlpLayer l = layers[k];
        float lrW = (float) (updateLr * l.lrScale * updateCorrection);
        updateWeights(l, method.optimizer() == TrainConfig.Optimizer.ADAM, lrW, method.clip() && method.binary(),
                updateNext, from, to);
    }

    private void updateLayerNorm(int k) {
        MlpLayer l = layers[k];
        boolean adam = method.optimizer() == TrainConfig.Optimizer.ADAM;
        float lrBn = (float) (updateLr * updateCorrection);
        if (adam) {
            Optimizer.adam(l.gamma, l.gradGamma, l.mGamma, l.vGamma, lrBn);
            Optimizer.adam(l.beta, l.gradBeta, l.mBeta, l.vBeta, lrBn);
        } else {
            Optimizer.nesterov(l.gamma, l.gradGamma, l.mGamma, lrBn);
            Optimizer.nesterov(l.beta, l.gradBeta, l.mBeta, lrBn);
        }
    }

    /** Stops the update worker thread, if one was started. The net still works afterwards (single-threaded). */
    @Override
    public void close() {
        if (worker != null) {
            worker.shutdown();
            worker = null;
        }
    }

    /**
     * The W update: gradient copied from the native gemm output, optimizer step and clip in one
     * loop, then the next forward pass's weights ({@code next}: 0 nothing, 1 sign(W), 2 W) in a
     * loop of their own and one bulk copy to the native Wb. Each loop is simple enough for the JIT
     * to vectorize (a fused loop with the sign in it was not: 10.5 instead of 2.9 ms for 2.9M weights).
     */
    private static void updateWeights(MlpLayer l, boolean adam, float lr, boolean clip, int next, int from, int to) {
        l.gradWView.get(from, l.gradWHeap, from, to - from);
        float lo = clip ? -1f : Float.NEGATIVE_INFINITY;
        float hi = clip ? 1f : Float.POSITIVE_INFINITY;
        if (adam) {
            Optimizer.adamClip(l.w, l.gradWHeap, l.mW, l.vW, lr, lo, hi, from, to);
        } else {
            Optimizer.nesterovClip(l.w, l.gradWHeap, l.mW, lr, lo, hi, from, to);
        }
        if (next == 1) {
            FloatBuffer wb = l.wbView;
            for (int i = from; i < to; i++) {
                wb.put(i, Math.copySign(1f, l.w[i] + 0f));
            }
        } else if (next == 2) {
            l.wbView.put(from, l.w, from, to - from);
        }
    }

    /** The weights a net of this method uses outside training: sign(W) for binary nets, W otherwise. */
    private void defaultWeights() {
        forward.defaults(method.binary());
    }




    /** Misclassified images among the first {@code count} rows of the last forward pass (lowest index wins ties). */
    @Override
    public int errors(int[] labels, int count) {
        MlpLayer last = layers[layers.length - 1];
        int wrong = 0;
        for (int r = 0; r < count; r++) {
            wrong += Argmax.of(last.act, r * last.out, last.out) != labels[r] ? 1 : 0;
        }
        return wrong;
    }

    /** The scores of the last forward pass, [batch, classes] row-major. */
    @Override
    public float[] scores() {
        return layers[layers.length - 1].act.clone();
    }

    float[] gradW(int layer) {
        return get(layers[layer].gradW);
    }

    float[] gradGamma(int layer) {
        return layers[layer].gradGamma.clone();
    }

    float[] gradBeta(int layer) {
        return layers[layer].gradBeta.clone();
    }

    float[] binaryWeights(int layer) {
        return get(layers[layer].wb);
    }

    @Override
    public long adamSteps() {
        return adamSteps;
    }

    /** Everything training carries from step to step: per layer the {@value #STATE_ARRAYS} arrays of Layer.state(). */
    @Override
    public float[][] state() {
        return TrainingState.copyOf(layerStates());
    }

    @Override
    public void setState(float[][] s, long steps) {
        TrainingState.restore(s, layerStates());
        adamSteps = steps;
        defaultWeights();
    }

    /** Sets W, gamma, beta and the running statistics from a float model (Adam moments untouched). */
    void setModel(FloatModel m) {
        TrainingState.setModel(m, layerStates());
        defaultWeights();
    }

    private List<float[][]> layerStates() {
        List<float[][]> states = new ArrayList<>();
        for (MlpLayer l : layers) {
            states.add(l.state());
        }
        return states;
    }

    @Override
    public FloatModel toFloatModel() {
        List<FloatLayer> out = new ArrayList<>();
        for (MlpLayer l : layers) {
            out.add(new FloatLayer(l.in, l.out, l.w, l.gamma, l.beta, l.runMean, l.runVar, BN_EPS));
        }
        return new FloatModel(out, method.binary(), method.activationBits());
    }

    private static float[] get(INDArray a) {
        float[] out = new float[(int) a.length()];
        MlpLayer.view(a).get(0, out);
        return out;
    }
}
