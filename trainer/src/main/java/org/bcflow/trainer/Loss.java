package org.bcflow.trainer;

/** The training losses on the output layer's scores, with their gradient. */
final class Loss {
    private Loss() {
    }

    /**
     * The loss of a batch (squared hinge averaged over batch and classes, or softmax
     * cross-entropy averaged over the batch); writes dL/dscores into d.
     *
     * @param scores [batch, classes] row-major
     */
    static double gradient(TrainConfig.Loss loss, float[] scores, float[] d, int[] labels, int batch, int classes) {
        double sum = 0;
        if (loss == TrainConfig.Loss.SQUARED_HINGE) {
            double g = -2.0 / ((double) batch * classes);
            for (int r = 0; r < batch; r++) {
                for (int c = 0, i = r * classes; c < classes; c++, i++) {
                    double t = c == labels[r] ? 1.0 : -1.0;
                    double margin = Math.max(0.0, 1.0 - t * scores[i]);
                    sum += margin * margin;
                    d[i] = (float) (g * t * margin);
                }
            }
            return sum / ((double) batch * classes);
        }
        for (int r = 0; r < batch; r++) {
            int base = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, scores[base + c]);
            }
            double e = 0;
            for (int c = 0; c < classes; c++) {
                e += Math.exp(scores[base + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(scores[base + c] - max) / e;
                d[base + c] = (float) ((p - (c == labels[r] ? 1 : 0)) / batch);
            }
            sum += Math.log(e) + max - scores[base + labels[r]];
        }
        return sum / batch;
    }
}
