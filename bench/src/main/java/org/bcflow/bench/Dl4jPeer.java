package org.bcflow.bench;

import java.util.Locale;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Padding;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The peer of {@code bcflow bench-train}: the same architecture trained in full precision by
 * DL4J's stock {@link MultiLayerNetwork}, the way its users write it: per conv block a
 * convolution without bias (stride 1, ConvolutionMode.Same or Truncate for valid padding), per
 * dense block a dense layer without bias, each followed by batch normalisation with a
 * hard-tanh-like clip (DL4J's HARDTANH activation, clip to [-1, 1], the closest stock activation to
 * clip(y, 0, 1)); per max-pool block a max subsampling layer; an output dense layer with batch
 * normalisation and a parameter-free squared hinge loss layer, Adam, float32, batch 100 by
 * default. DL4J inserts the reshapes between conv and dense layers itself from the input type.
 * Random images and labels; {@code --steps} timed {@code fit} calls after 20 warm-up calls.
 * DL4J's defaults for layer helpers stay as they are: the stock linux-x86_64 binary is built without
 * oneDNN, and with {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false} DL4J 1.0.0-M2.1 still
 * drops its oneDNN helpers (their check looks for a class that moved), so the built-in paths run
 * either way.
 *
 * <p>Options: {@code --arch SPEC} (the paper's notation, see {@link Architecture}) or
 * {@code --hidden SIZES} (the MLP of these dense sizes and 10 classes), {@code --input CxHxW}
 * (default 1x28x28), {@code --batch N}, {@code --steps N}. Prints one JSON line:
 * {@code {"name": ..., "images_per_second": ..., "network": ..., "input": ..., ...}}.
 */
public final class Dl4jPeer {
    static final String NAME = "DL4J 1.0.0-M2.1 MultiLayerNetwork, full precision";
    private static final int WARM_UP = 20;

    private Dl4jPeer() {
    }

    public static void main(String[] args) {
        String hidden = null;
        String spec = null;
        String input = "1x28x28";
        int batch = 100;
        int steps = 100;
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs (--name value), got " + args.length + " words");
        }
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--hidden" -> hidden = args[i + 1];
                case "--arch" -> spec = args[i + 1];
                case "--input" -> input = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (hidden != null && spec != null) {
            throw new IllegalArgumentException("give --arch or --hidden, not both");
        }
        Architecture arch = spec != null ? Architecture.parse(spec)
                : Architecture.mlp(sizes(hidden == null ? "1024,1024,1024" : hidden), 10);
        FeatureMap in = featureMap(input);
        // Fails here, naming the token, rather than deep inside DL4J.
        arch.shapes(in);

        MultiLayerNetwork net = new MultiLayerNetwork(configuration(arch, in));
        net.init();
        // DL4J's flat convolutional input is CHW where bcflow's maps are HWC; random images make the order moot.
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, in.size());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, arch.classes()).subi(1);
        for (int r = 0; r < batch; r++) {
            y.putScalar(r, r % arch.classes(), 1);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < WARM_UP; i++) {
            net.fit(ds);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(ds);
        }
        double ips = (double) steps * batch / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "{\"name\": \"%s\", \"images_per_second\": %.1f, \"network\": \"%s\", "
                + "\"input\": \"%s\", \"batch\": %d, \"steps\": %d, \"layers\": \"conv(no bias)+BN+hardtanh per conv"
                + " block, max subsampling per pool block, dense(no bias)+BN+hardtanh per dense block, dense(no bias)"
                + "+BN+loss layer, squared hinge, Adam\"}%n", NAME, ips, arch, in, batch, steps);
    }

    /** The stock DL4J network of this architecture and input. */
    static MultiLayerConfiguration configuration(Architecture arch, FeatureMap in) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER_UNIFORM).list();
        for (Architecture.Block block : arch.blocks()) {
            if (block instanceof Architecture.Conv c) {
                b.layer(new ConvolutionLayer.Builder(c.k(), c.k()).stride(1, 1).nOut(c.channels()).hasBias(false)
                        .convolutionMode(c.padding() == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                        .activation(Activation.IDENTITY).build());
                b.layer(new BatchNormalization.Builder().activation(Activation.HARDTANH).build());
            } else if (block instanceof Architecture.Pool p) {
                b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(p.p(), p.p()).stride(p.p(), p.p())
                        .build());
            } else if (block instanceof Architecture.Dense d) {
                b.layer(new DenseLayer.Builder().nOut(d.units()).hasBias(false).activation(Activation.IDENTITY).build());
                b.layer(new BatchNormalization.Builder().activation(Activation.HARDTANH).build());
            }
        }
        b.layer(new DenseLayer.Builder().nOut(arch.classes()).hasBias(false).activation(Activation.IDENTITY).build());
        // Explicit identity: a layer without one takes the builder's default activation, sigmoid.
        b.layer(new BatchNormalization.Builder().activation(Activation.IDENTITY).build());
        b.layer(new LossLayer.Builder(LossFunctions.LossFunction.SQUARED_HINGE).activation(Activation.IDENTITY).build());
        // From the input type DL4J sets every nIn and inserts the reshapes between flat, conv and dense layers.
        boolean conv = arch.blocks().stream().anyMatch(blk -> !(blk instanceof Architecture.Dense));
        b.setInputType(conv ? InputType.convolutionalFlat(in.height(), in.width(), in.channels())
                : InputType.feedForward(in.size()));
        return b.build();
    }

    private static int[] sizes(String hidden) {
        String[] h = hidden.split(",");
        int[] s = new int[h.length];
        for (int i = 0; i < h.length; i++) {
            s[i] = Integer.parseInt(h[i].trim());
        }
        return s;
    }

    /** {@code CxHxW}, e.g. 1x28x28 or 3x32x32. */
    static FeatureMap featureMap(String s) {
        String[] p = s.trim().split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("--input must be CxHxW, e.g. 1x28x28, got " + s);
        }
        return new FeatureMap(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    }
}
