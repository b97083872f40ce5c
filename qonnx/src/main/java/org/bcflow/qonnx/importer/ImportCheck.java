package org.bcflow.qonnx.importer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.bcflow.core.Argmax;
import org.bcflow.core.BcflowException;
import org.bcflow.core.InputQuantizer;
import org.bcflow.core.Reference;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.qonnx.GraphExecutor;
import org.bcflow.qonnx.Tensor;

/**
 * The import's proof on data: the model, run node by node in double by {@link GraphExecutor},
 * and the integer network, run by {@link Reference}, on the same images. Every class and every
 * activation the model quantizes (the input quantizer's codes, each hidden layer's codes, each
 * max-pool's) must agree; anything else is a failed import, not a statistic.
 */
public final class ImportCheck {
    private ImportCheck() {
    }

    /**
     * @param images             images compared
     * @param modelCorrect       images the model classifies right (its class: the first largest score)
     * @param networkCorrect     images the integer network classifies right
     * @param classDisagreements images on which the two classes differ
     * @param activationsCompared codes compared
     * @param activationDisagreements codes that differ
     * @param firstDisagreement  null, or where the first one is: image, model value, element, both values
     */
    public record Result(int images, int modelCorrect, int networkCorrect, int classDisagreements, long activationsCompared,
            long activationDisagreements, String firstDisagreement) {
        public boolean agrees() {
            return classDisagreements == 0 && activationDisagreements == 0;
        }

        public double modelAccuracy() {
            return images == 0 ? 0 : (double) modelCorrect / images;
        }

        public double networkAccuracy() {
            return images == 0 ? 0 : (double) networkCorrect / images;
        }
    }

    public static Result run(ImportedNetwork imported, LabeledImages data) {
        int[] s = imported.inputShape();
        boolean fits = s.length == 4 ? new org.bcflow.core.FeatureMap(s[1], s[2], s[3]).equals(data.shape())
                : s[1] == data.pixelsPerImage();
        if (!fits) {
            throw new BcflowException("the imported model takes inputs of shape " + java.util.Arrays.toString(s)
                    + ", the data set's images are " + data.shape());
        }
        Reference ref = new Reference(imported.network());
        ThreadLocal<GraphExecutor> model = ThreadLocal.withInitial(() -> new GraphExecutor(imported.graph()));
        double max = (1 << QonnxImporter.RAW_BITS) - 1;
        AtomicInteger modelCorrect = new AtomicInteger();
        AtomicInteger networkCorrect = new AtomicInteger();
        AtomicInteger classes = new AtomicInteger();
        AtomicLong compared = new AtomicLong();
        AtomicLong differ = new AtomicLong();
        AtomicReference<String> first = new AtomicReference<>();
        InputQuantizer quantizer = imported.network().quantizer();
        IntStream.range(0, data.count()).parallel().forEach(i -> {
            int[] px = data.image(i);
            int[] chw = toModelOrder(px, imported);
            double[] x = new double[chw.length];
            for (int j = 0; j < x.length; j++) {
                x[j] = chw[j] / max;
            }
            Map<String, Tensor> values = model.get().run(Map.of(imported.inputName(), Tensor.of(imported.inputShape(), x)));
            Reference.Trace trace = ref.run(px);
            double[] scores = values.get(imported.scores()).data();
            int modelClass = Argmax.of(scores);  // the first largest: ONNX's ArgMax and bcflow's tie rule alike
            if (modelClass == data.label(i)) {
                modelCorrect.incrementAndGet();
            }
            if (trace.predictedClass() == data.label(i)) {
                networkCorrect.incrementAndGet();
            }
            if (modelClass != trace.predictedClass()) {
                classes.incrementAndGet();
                first.compareAndSet(null, "image " + i + ": the model's class " + modelClass + ", the network's "
                        + trace.predictedClass());
            }
            for (ImportedNetwork.Probe p : imported.probes()) {
                Tensor t = values.get(p.tensor());
                for (int e = 0; e < t.size(); e++) {
                    int at = p.toHwc()[e];
                    long expected = p.stackIndex() < 0 ? (quantizer == null ? px[at] : quantizer.code(px[at]))
                            : trace.outputs()[p.stackIndex()][at];
                    long got;
                    try {
                        got = p.levels().code(t.at(e), p.tensor());
                    } catch (BcflowException notALevel) {
                        got = -1;
                    }
                    compared.incrementAndGet();
                    if (got != expected) {
                        differ.incrementAndGet();
                        first.compareAndSet(null, "image " + i + ", value '" + p.tensor() + "' element " + e + ": the model's "
                                + t.at(e) + " (code " + got + "), the network's code " + expected);
                    }
                }
            }
        });
        return new Result(data.count(), modelCorrect.get(), networkCorrect.get(), classes.get(), compared.get(), differ.get(),
                first.get());
    }

    /** The image in the model's layout: NCHW for a map input, the values in order for a vector. */
    private static int[] toModelOrder(int[] hwc, ImportedNetwork imported) {
        int[] s = imported.inputShape();
        if (s.length != 4) {
            return hwc;
        }
        var map = new org.bcflow.core.FeatureMap(s[1], s[2], s[3]);
        int[] chw = new int[hwc.length];
        for (int c = 0; c < map.channels(); c++) {
            for (int y = 0; y < map.height(); y++) {
                for (int x = 0; x < map.width(); x++) {
                    chw[(c * map.height() + y) * map.width() + x] = hwc[map.index(y, x, c)];
                }
            }
        }
        return chw;
    }
}
