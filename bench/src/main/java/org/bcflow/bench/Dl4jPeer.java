package org.bcflow.bench;

import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
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
 * DL4J's stock {@link MultiLayerNetwork}, the way its users write it: per hidden layer a dense
 * layer without bias, batch normalisation and a hard-tanh-like clip (DL4J's HARDTANH activation, clip
 * to [-1, 1], the closest stock activation to clip(y, 0, 1)), an output dense layer with batch
 * normalisation and a parameter-free squared hinge loss layer, Adam, float32, batch 100 by default. Random images and labels;
 * {@code --steps} timed {@code fit} calls after 20 warm-up calls. Prints one JSON line:
 * {@code {"name": ..., "images_per_second": ...}}.
 */
public final class Dl4jPeer {
    private Dl4jPeer() {
    }

    public static void main(String[] args) {
        String hidden = "1024,1024,1024";
        int batch = 100;
        int steps = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--hidden" -> hidden = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String[] h = hidden.split(",");
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER_UNIFORM).list();
        int in = 784;
        for (String s : h) {
            int out = Integer.parseInt(s.trim());
            b.layer(new DenseLayer.Builder().nIn(in).nOut(out).hasBias(false).activation(Activation.IDENTITY).build());
            b.layer(new BatchNormalization.Builder().nOut(out).activation(Activation.HARDTANH).build());
            in = out;
        }
        b.layer(new DenseLayer.Builder().nIn(in).nOut(10).hasBias(false).activation(Activation.IDENTITY).build());
        b.layer(new BatchNormalization.Builder().nOut(10).build());
        b.layer(new LossLayer.Builder(LossFunctions.LossFunction.SQUARED_HINGE).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10).subi(1);
        for (int r = 0; r < batch; r++) {
            y.putScalar(r, r % 10, 1);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < 20; i++) {
            net.fit(ds);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(ds);
        }
        double ips = (double) steps * batch / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "{\"name\": \"DL4J 1.0.0-M2.1 MultiLayerNetwork, full precision\", "
                + "\"images_per_second\": %.1f, \"network\": \"784-%s-10\", \"batch\": %d, \"steps\": %d, "
                + "\"layers\": \"dense(no bias)+BN+hardtanh per hidden layer, dense(no bias)+BN+loss layer,"
                + " squared hinge, Adam\"}%n", ips, hidden.replace(',', '-'), batch, steps);
    }
}
