package org.bcflow.trainer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bcflow.core.Architecture;
import org.bcflow.core.Argmax;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Padding;
import org.bcflow.core.data.LabeledImages;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A BinaryConnect net of conv, max-pool and dense layers ({@link Architecture}), trained on
 * batches of HWC images.
 *
 * <p>Per conv or dense layer ({@link WeightStage}), with {@code Wb = sign(W)} (or sampled, or W,
 * as the method says): {@code z = patches Wb^T}, batch norm per channel, then for hidden layers
 * {@code clip(y, 0, 1)} (k-bit when the method says so); a max-pool follows the activation, so
 * that it pools exactly the values the integer network pools (the layer before it runs it, on z:
 * {@link WeightStage#forward}). The last layer's batch-normalised
 * outputs are the scores. Loss, optimizer, clipping, dropout, stochastic binarization and test
 * modes are those of {@link BinaryMlp}; updates run after the whole backward pass, on this thread.
 * With the method's {@code augmentShift} s > 0, every training image is first translated by
 * (dy, dx), each uniform in -s..s and drawn per step and image from the random streams (so a
 * resumed run shifts exactly as an uninterrupted one), zeros filling what comes in at the border.
 * Not thread-safe.
 */
final class ConvNet implements TrainableNet {
    private final Architecture arch;
    private final FeatureMap input;
    private final int batch;
    private final TrainConfig.Method method;
    private final RandomStreams streams;
    private final float[] levels;                                // k-bit activation values, null for float
    private final List<Object> stages = new ArrayList<>();       // WeightStage or MaxPool, in order
    private final List<WeightStage> weights = new ArrayList<>();
    private final float[] inputHeap;
    private final float[] inputDropped;
    private final float[] inputShifted;
    private final SecondCore core = new SecondCore();
    private long adamSteps;
    private final ForwardWeights forwardWeights;

    ConvNet(Architecture arch, FeatureMap input, int batch, TrainConfig.Method method, long seed) {
        if (batch < 2) {
            throw new IllegalArgumentException("batch norm needs a batch of at least 2");
        }
        arch.shapes(input); // refuses a block that does not fit, naming its token
        this.arch = arch;
        this.input = input;
        this.batch = batch;
        this.method = method;
        this.streams = new RandomStreams(seed);
        this.levels = BatchNorm.levels(method.activationBits());
        FeatureMap map = input;
        List<Architecture.Block> blocks = new ArrayList<>(arch.blocks());
        blocks.add(new Architecture.Dense(Integer.toString(arch.classes()), arch.classes()));
        for (int i = 0; i < blocks.size(); i++) {
            Architecture.Block b = blocks.get(i);
            boolean last = i == blocks.size() - 1;
            if (b instanceof Architecture.Pool p) {
                MaxPool pool = new MaxPool(batch, map.channels(), map.height(), map.width(), p.p(), core);
                if (!stages.isEmpty() && stages.get(stages.size() - 1) instanceof WeightStage below) {
                    below.pool = pool;       // runs it image by image with its activation
                }
                stages.add(pool);
                map = new FeatureMap(map.channels(), pool.outH, pool.outW);
                continue;
            }
            WeightStage s;
            if (b instanceof Architecture.Conv c) {
                int pad = c.padding() == Padding.SAME ? (c.k() - 1) / 2 : 0;
                s = new WeightStage(map, c.channels(), c.k(), pad, weights.isEmpty(), !last, batch, method, core);
            } else {
                s = new WeightStage(map, ((Architecture.Dense) b).units(), 0, 0, weights.isEmpty(), !last, batch, method, core);
            }
            stages.add(s);
            weights.add(s);
            map = s.out;
        }
        linkGradients();
        float[][] w = new float[weights.size()][];
        float[][] heap = new float[weights.size()][];
        FloatBuffer[] wb = new FloatBuffer[weights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.get(i).w;
            heap[i] = weights.get(i).wbHeap;
            wb[i] = weights.get(i).wbView;
        }
        this.forwardWeights = new ForwardWeights(w, heap, wb);
        this.inputHeap = new float[batch * input.size()];
        // every core for the matrix products: unlike BinaryMlp, whose second core overlaps the update with
        // them, a conv step does nothing beside its products (the launcher's OMP_NUM_THREADS=1 gives BLAS one)
        Nd4j.factory().blas().setMaxThreads(Runtime.getRuntime().availableProcessors());
        this.inputDropped = method.dropoutInput() > 0 ? new float[inputHeap.length] : null;
        this.inputShifted = method.augmentShift() > 0 ? new float[inputHeap.length] : null;
        useDefaultWeights();
    }

    /** Each stage leaves dL/d(its input) in the previous stage's gradient array: no copies between stages. */
    private void linkGradients() {
        float[] below = null;                 // the gradient array of the stage below (null: the image)
        for (Object stage : stages) {
            if (stage instanceof MaxPool p) {
                p.dIn = below;
                below = p.dOut;
            } else {
                WeightStage s = (WeightStage) stage;
                s.dIn = s.first ? null : below;     // below the first weight layer lies only the image
                below = s.d;
            }
        }
    }

    /** Binary nets: W ~ Uniform(-1, 1); real-valued nets: Glorot uniform over fan-in + fan-out. */
    @Override
    public void initialise(long seed) {
        Random rnd = new Random(seed);
        for (WeightStage s : weights) {
            double fanOut = s.conv ? (double) s.k * s.k * s.n : s.n;
            float h = method.binary() ? 1f : (float) Math.sqrt(6.0 / (s.cols + fanOut));
            for (int i = 0; i < s.w.length; i++) {
                s.w[i] = (rnd.nextFloat() * 2f - 1f) * h;
            }
        }
        useDefaultWeights();
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public void load(LabeledImages images, int[] indices, int count) {
        int n = input.size();
        if (images.pixelsPerImage() != n) {
            throw new IllegalArgumentException("images have " + images.pixelsPerImage() + " values, the net takes " + input);
        }
        byte[] pixels = images.pixels();
        for (int r = 0; r < count; r++) {
            int base = indices[r] * n;
            for (int j = 0, i = r * n; j < n; j++, i++) {
                inputHeap[i] = (pixels[base + j] & 0xff) / 255f;
            }
        }
    }

    @Override
    public double trainStep(int[] labels, double lr, int[] errors) {
        forwardWeights.forStep(method.binarization(), streams, adamSteps);
        double loss = lossAndGradients(labels, errors);
        update(lr);
        return loss;
    }

    /** Forward (training), loss and backward with the weights loaded now; no update. */
    double lossAndGradients(int[] labels, int[] errors) {
        forward(true);
        long t = StepProfile.start();
        WeightStage last = weights.get(weights.size() - 1);
        double loss = Loss.gradient(method.loss(), last.act, last.d, labels, batch, arch.classes());
        errors[0] += errors(labels, batch);
        StepProfile.add(StepProfile.Part.LOSS, t);
        backward();
        return loss;
    }

    /** Real-valued W of weight layer k, live (for tests); call {@link #reloadWeights} after changing it. */
    float[] realWeights(int k) {
        return weights.get(k).w;
    }

    /** Loads the method's weights again after W was changed in place. */
    void reloadWeights() {
        useDefaultWeights();
    }

    @Override
    public void forward(boolean training) {
        float[] x = inputHeap;
        if (training && inputShifted != null) {
            shift(inputHeap, inputShifted);
            x = inputShifted;
        }
        if (training && inputDropped != null) {
            RandomStreams.dropout(x, inputDropped, null, method.dropoutInput(),
                    streams.seed(RandomStreams.DROPOUT, adamSteps, -1));
            x = inputDropped;
        }
        int layer = 0;
        boolean pooled = false;                  // the last weight stage ran the pool after it
        for (Object stage : stages) {
            if (stage instanceof MaxPool p) {
                if (!pooled) {
                    long t = StepProfile.start();
                    p.forward(x);
                    StepProfile.add(StepProfile.Part.POOL, t);
                }
                x = p.out;
                continue;
            }
            WeightStage s = (WeightStage) stage;
            s.loadInput(x);
            boolean dropout = training && s.drop != null;
            s.forward(training, levels, dropout);
            pooled = s.pool != null && !dropout;
            x = s.act;
            if (training && s.drop != null) {
                // d is free until backward: it holds the dropped-out activations meanwhile
                RandomStreams.dropout(s.act, s.d, s.drop, method.dropoutHidden(),
                        streams.seed(RandomStreams.DROPOUT, adamSteps, layer));
                x = s.d;
            }
            layer++;
        }
    }

    /** Each image of the batch translated by its (dy, dx) of this step, zeros coming in at the border. */
    private void shift(float[] from, float[] to) {
        int s = method.augmentShift();
        int image = input.size();
        java.util.Arrays.fill(to, 0f);
        for (int r = 0; r < batch; r++) {
            long z = RandomStreams.mix(streams.seed(RandomStreams.AUGMENT, adamSteps, r));
            int dy = (int) Math.floorMod(z, 2 * s + 1) - s;
            int dx = (int) Math.floorMod(z >>> 32, 2 * s + 1) - s;
            translate(from, to, r * image, input, dy, dx);
        }
    }

    /** out(y, x, c) = in(y - dy, x - dx, c) for the image at {@code offset}; what has no source is left as it is. */
    static void translate(float[] from, float[] to, int offset, FeatureMap shape, int dy, int dx) {
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        int x0 = Math.max(0, dx);                     // first output column that has a source
        int x1 = Math.min(w, w + dx);                 // one past the last
        for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
            System.arraycopy(from, offset + ((y - dy) * w + x0 - dx) * c, to, offset + (y * w + x0) * c, (x1 - x0) * c);
        }
    }

    /** Backpropagates dL/dscores (in the last layer's d) into every layer's gradients. */
    private void backward() {
        for (int i = stages.size() - 1; i >= 0; i--) {
            if (stages.get(i) instanceof MaxPool p) {
                if (i == 0 || !(stages.get(i - 1) instanceof WeightStage)) {    // else the stage below runs it
                    long t = StepProfile.start();
                    p.backward();
                    StepProfile.add(StepProfile.Part.POOL, t);
                }
            } else {
                ((WeightStage) stages.get(i)).backward();
            }
        }
    }

    private void update(double lr) {
        long t = StepProfile.start();
        adamSteps++;
        boolean adam = method.optimizer() == TrainConfig.Optimizer.ADAM;
        double correction = adam
                ? Math.sqrt(1 - Math.pow(Optimizer.ADAM_BETA2, adamSteps)) / (1 - Math.pow(Optimizer.ADAM_BETA1, adamSteps)) : 1;
        boolean clip = method.clip() && method.binary();
        float lo = clip ? -1f : Float.NEGATIVE_INFINITY;
        float hi = clip ? 1f : Float.POSITIVE_INFINITY;
        // deterministic nets load the next step's sign(W) as they update W (others after the loop)
        boolean signs = method.binarization() == TrainConfig.Binarization.DETERMINISTIC;
        for (int k = 0; k < weights.size(); k++) {
            WeightStage s = weights.get(k);
            int layer = k;
            float lrW = (float) (lr * s.lrScale * correction);
            float lrBn = (float) (lr * correction);
            // W's update element by element in two halves, each half's gradient copied from native first
            core.split(s.w.length, s.w.length, (from, to, half) -> {
                s.gradWView.get(from, s.gradWHeap, from, to - from);
                if (adam) {
                    Optimizer.adamClip(s.w, s.gradWHeap, s.mW, s.vW, lrW, lo, hi, from, to);
                } else {
                    Optimizer.nesterovClip(s.w, s.gradWHeap, s.mW, lrW, lo, hi, from, to);
                }
                if (signs) {
                    forwardWeights.signs(layer, from, to);
                }
            });
            if (adam) {
                Optimizer.adam(s.gamma, s.gradGamma, s.mGamma, s.vGamma, lrBn);
                Optimizer.adam(s.beta, s.gradBeta, s.mBeta, s.vBeta, lrBn);
            } else {
                Optimizer.nesterov(s.gamma, s.gradGamma, s.mGamma, lrBn);
                Optimizer.nesterov(s.beta, s.gradBeta, s.mBeta, lrBn);
            }
        }
        forwardWeights.wrote(signs ? ForwardWeights.Kind.SIGN : ForwardWeights.Kind.STALE);
        // as BinaryMlp: the weights of the next forward pass, sign(W) or W (stochastic nets sample before the next step)
        if (method.binarization() == TrainConfig.Binarization.NONE) {
            useDefaultWeights();
        }
        StepProfile.add(StepProfile.Part.UPDATE, t);
    }

    @Override
    public void useTestWeights(TrainConfig.TestMode mode, int sample) {
        forwardWeights.forTest(mode, streams, sample);
    }

    private void useDefaultWeights() {
        forwardWeights.defaults(method.binary());
    }




    @Override
    public int errors(int[] labels, int count) {
        WeightStage last = weights.get(weights.size() - 1);
        int wrong = 0;
        for (int r = 0; r < count; r++) {
            wrong += Argmax.of(last.act, r * last.n, last.n) != labels[r] ? 1 : 0;
        }
        return wrong;
    }

    @Override
    public float[] scores() {
        return weights.get(weights.size() - 1).act.clone();
    }

    @Override
    public long adamSteps() {
        return adamSteps;
    }

    @Override
    public float[][] state() {
        return TrainingState.copyOf(layerStates());
    }

    @Override
    public void setState(float[][] s, long steps) {
        TrainingState.restore(s, layerStates());
        adamSteps = steps;
        useDefaultWeights();
    }

    private List<float[][]> layerStates() {
        List<float[][]> states = new ArrayList<>();
        for (WeightStage s : weights) {
            states.add(s.state());
        }
        return states;
    }

    @Override
    public FloatModel toFloatModel() {
        List<FloatLayer> out = new ArrayList<>();
        for (WeightStage s : weights) {
            out.add(new FloatLayer(s.cols, s.n, s.w, s.gamma, s.beta, s.runMean, s.runVar, BatchNorm.EPS));
        }
        return new FloatModel(out, method.binary(), method.activationBits(), arch, input);
    }

    /** Per weight layer its inputs and outputs (k*k*C and channels for conv), as a checkpoint names them. */
    int[] layerDims() {
        int[] dims = new int[2 * weights.size()];
        for (int k = 0; k < weights.size(); k++) {
            dims[2 * k] = weights.get(k).cols;
            dims[2 * k + 1] = weights.get(k).n;
        }
        return dims;
    }

    /** The weight gradient of weight layer k from the last step (for tests). */
    float[] gradW(int k) {
        float[] g = new float[weights.get(k).w.length];
        FloatBuffer v = weights.get(k).gradWView;
        v.get(0, g);
        return g;
    }

    @Override
    public void close() {
        core.shutdown();
    }
}
