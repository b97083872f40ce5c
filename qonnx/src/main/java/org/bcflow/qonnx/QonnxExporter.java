package org.bcflow.qonnx;

import java.nio.file.Path;
import java.util.List;
import org.bcflow.core.ConvLayer;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.InputQuantizer;
import org.bcflow.core.Layer;
import org.bcflow.core.MaxPoolLayer;
import org.bcflow.core.Network;
import org.bcflow.qonnx.ExportAssembly.Attr;

/**
 * A bcflow {@link Network} as a QONNX graph whose float evaluation is exactly the integer network
 * (docs/contract.md): the same codes between layers, the same scores, hence the same class.
 *
 * <p>The graph, in ONNX's NCHW layout for maps and {@code [1, N]} for an MLP's vectors:
 * <ol>
 *   <li>input {@value #INPUT}, FLOAT, holding {@code raw / (2^inputBits - 1)} (pixel / 255, the
 *       convention of Brevitas and FINN MNIST models); a Mul and an unsigned Quant with ROUND
 *       recover the raw integers exactly, even from float32-rounded inputs;</li>
 *   <li>the input quantizer, when the network has one, as a MultiThreshold;</li>
 *   <li>per layer: MatMul (after a Transpose to NHWC and a Reshape, when a dense layer follows a
 *       map: bcflow flattens HWC) or Conv with BipolarQuant weights, then the requantization
 *       ({@link Requantizer}); MaxPool as it is;</li>
 *   <li>output {@value #SCORES}, FLOAT, {@code [1, classes]}: the signed scores.</li>
 * </ol>
 * Each layer's output but the last is the tensor {@link #codes(String)}, annotated with its
 * finn_datatype ({@code UINT<k>}); quantized weights are annotated BIPOLAR. Networks the float
 * graph cannot compute exactly are refused ({@link ExactnessGuard}).
 */
public final class QonnxExporter {
    /** The graph input's name. */
    public static final String INPUT = "input";
    /** The graph output's name. */
    public static final String SCORES = "scores";

    private final Network net;
    private final ExportAssembly g = new ExportAssembly();
    private String x;           // the tensor the next layer reads
    private boolean nchw;       // whether x is a rank-4 map rather than a [1, N] vector

    private QonnxExporter(Network net) {
        this.net = net;
    }

    /** The graph; refuses, in one line, a network the float graph would not compute exactly. */
    public static OnnxGraph export(Network net) {
        ExactnessGuard.check(net);
        return new QonnxExporter(net).build();
    }

    /** Exports {@code net} and writes the graph to {@code file}, atomically. */
    public static void write(Network net, Path file) {
        export(net).write(file);
    }

    /** The name of the tensor holding the outputs (codes) of the stack layer named {@code layer}; not the last layer's. */
    public static String codes(String layer) {
        return layer + "_codes";
    }

    private OnnxGraph build() {
        input();
        List<Layer> stack = net.stack();
        List<DenseLayer> weights = net.layers();
        FeatureMap map = net.input();
        int w = 0;  // the index among the weight layers of the next one
        for (int i = 0; i < stack.size(); i++) {
            Layer layer = stack.get(i);
            if (layer instanceof MaxPoolLayer p) {
                toMap(layer.name(), map);
                x = g.node(p.name() + "_maxpool", "MaxPool", List.of(x), codes(p.name()),
                        Attr.ofInts("kernel_shape", p.p(), p.p()), Attr.ofInts("strides", p.p(), p.p()));
                // pooling passes the codes on: they keep the width the next weight layer reads
                g.datatype(x, "UINT" + weights.get(w).inputBits());
            } else {
                DenseLayer m = layer instanceof ConvLayer c ? conv(c, map) : dense((DenseLayer) layer, map);
                Requantizer requantizer = new Requantizer(g, m, nchw);
                if (i == stack.size() - 1) {
                    scores(requantizer);
                } else {
                    x = requantizer.hidden(x, weights.get(w + 1).inputBits(), codes(layer.name()));
                }
                w++;
            }
            map = layer.output(map);
        }
        g.builder().output(SCORES, ElementType.FLOAT, 1, net.classes());
        return g.builder().build();
    }

    /** The graph input and the stages that turn it into the first layer's integer inputs. */
    private void input() {
        int bits = net.inputBits();
        FeatureMap in = net.input();
        nchw = !net.isMlp();
        int[] shape = nchw ? new int[] {1, in.channels(), in.height(), in.width()} : new int[] {1, in.size()};
        g.builder().input(g.tensor(INPUT), ElementType.FLOAT, shape);
        // raw / (2^bits - 1) * (2^bits - 1) is within far less than 1/2 of raw even after the input
        // was rounded to float32, and Quant's ROUND (to nearest) gives back raw itself.
        String max = g.scalar("input_max", (1L << bits) - 1);
        String scaled = g.node("input_scale", "Mul", List.of(INPUT, max), "input_scaled");
        x = g.qonnxNode("input_quant", "Quant", List.of(scaled, g.scalar("input_quant_scale", 1),
                g.scalar("input_quant_zeropt", 0), g.scalar("input_quant_bitwidth", bits)), "input_raw",
                Attr.ofInt("signed", 0), Attr.ofInt("narrow", 0), Attr.ofString("rounding_mode", "ROUND"));
        g.datatype(x, "UINT" + bits);
        InputQuantizer q = net.quantizer();
        if (q != null) {
            long[] t = q.thresholds();
            double[] values = new double[t.length];
            for (int j = 0; j < t.length; j++) {
                values[j] = t[j];
            }
            // one row of thresholds serves every channel, as the quantizer applies to every input value
            String thresholds = g.constant("input_thresholds", Tensor.of(new int[] {1, t.length}, values));
            String dtype = "UINT" + q.codeBits();
            x = g.qonnxNode("input_multithreshold", "MultiThreshold", List.of(x, thresholds), "input_codes",
                    Attr.ofFloat("out_scale", 1.0), Attr.ofFloat("out_bias", 0.0), Attr.ofString("out_dtype", dtype),
                    Attr.ofString("data_layout", "NCHW"));
            g.datatype(x, dtype);
        }
    }

    /** MatMul of the (flattened) input with the layer's [inputs, outputs] bipolar weights; x becomes the accumulators. */
    private DenseLayer dense(DenseLayer d, FeatureMap map) {
        String prefix = d.name() + "_";
        if (nchw) {
            // bcflow flattens HWC (dense input j is map element (y*W + x)*C + c): NCHW to NHWC, then one row
            String nhwc = g.node(prefix + "transpose", "Transpose", List.of(x), prefix + "nhwc", Attr.ofInts("perm", 0, 2, 3, 1));
            String shape = g.shape(prefix + "flat_shape", 1, map.size());
            x = g.node(prefix + "flatten", "Reshape", List.of(nhwc, shape), prefix + "flat");
            nchw = false;
        }
        int in = d.inputs();
        int out = d.outputs();
        double[] w = new double[in * out];
        for (int j = 0; j < in; j++) {
            for (int n = 0; n < out; n++) {
                w[j * out + n] = d.weights().isPlus(n, j) ? 1 : -1;
            }
        }
        String wq = bipolarWeights(prefix, new int[] {in, out}, w);
        x = g.node(prefix + "matmul", "MatMul", List.of(x, wq), prefix + "acc");
        return d;
    }

    /** Conv with the layer's [O, C, k, k] bipolar weights; x becomes the accumulators (NCHW). */
    private DenseLayer conv(ConvLayer c, FeatureMap map) {
        String prefix = c.name() + "_";
        toMap(c.name(), map);
        DenseLayer m = c.matrix();
        int k = c.k();
        int channels = c.inChannels();
        int out = c.outChannels();
        double[] w = new double[out * channels * k * k];
        int at = 0;
        for (int o = 0; o < out; o++) {
            for (int ch = 0; ch < channels; ch++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        w[at++] = m.weights().isPlus(o, (ky * k + kx) * channels + ch) ? 1 : -1;
                    }
                }
            }
        }
        String wq = bipolarWeights(prefix, new int[] {out, channels, k, k}, w);
        int p = c.pad();
        x = g.node(prefix + "conv", "Conv", List.of(x, wq), prefix + "acc", Attr.ofInts("kernel_shape", k, k),
                Attr.ofInts("strides", 1, 1), Attr.ofInts("pads", p, p, p, p));
        return m;
    }

    /** The ±1 weights as a FLOAT initializer through BipolarQuant (scale 1), the form QONNX tools expect. */
    private String bipolarWeights(String prefix, int[] shape, double[] values) {
        String w = g.constant(prefix + "weights", Tensor.of(shape, values));
        String scale = g.scalar(prefix + "weights_scale", 1.0);
        String wq = g.qonnxNode(prefix + "weights_quant", "BipolarQuant", List.of(w, scale), prefix + "weights_bipolar");
        g.datatype(wq, "BIPOLAR");
        return wq;
    }

    /** A vector before a conv or a max-pool (a dense layer's output) becomes the 1 x 1 map it is. */
    private void toMap(String layer, FeatureMap map) {
        if (!nchw) {
            String shape = g.shape(layer + "_map_shape", 1, map.channels(), map.height(), map.width());
            x = g.node(layer + "_to_map", "Reshape", List.of(x, shape), layer + "_map");
            nchw = true;
        }
    }

    /** The last layer's scores as the graph output, [1, classes] (a conv's 1 x 1 map flattened). */
    private void scores(Requantizer requantizer) {
        if (!nchw) {
            x = requantizer.scores(x, SCORES);
            return;
        }
        String last = net.stack().get(net.stack().size() - 1).name();
        String map = requantizer.scores(x, last + "_scores_map");
        String shape = g.shape(last + "_scores_shape", 1, net.classes());
        x = g.node(last + "_flatten", "Reshape", List.of(map, shape), SCORES);
    }
}
