package org.bcflow.trainer;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One layer of {@link BinaryMlp}: its parameters, running statistics and optimizer moments (what a
 * checkpoint holds), the native operands of its matrix products, and its per-batch scratch, all
 * allocated once.
 */
final class MlpLayer {
    final int in;
    final int out;
    final boolean hidden;
    final double lrScale;                        // the paper's "Glorot" learning-rate scale for W, or 1
    // parameters, running statistics and optimizer moments (what a checkpoint holds)
    final float[] w, mW, vW;                     // [out * in], row-major; Nesterov keeps its velocity in mW
    final float[] gamma, beta, runMean, runVar, mGamma, vGamma, mBeta, vBeta; // [out]
    // native operands of the matrix products
    final INDArray wb, gradW;                    // [out, in]
    final INDArray z, a, dz, da;                 // [batch, out]: x Wb^T, activation, dL/dz, dL/da
    final FloatBuffer wbView, gradWView, zView, aView, dzView, daView;
    // per-batch scratch on the heap
    final float[] wbHeap, gradWHeap;             // [out * in]
    final float[] xhat, pre, act, d;             // [batch * out]: normalised z, y, output, gradient
    final float[] drop;                          // [batch * out] dropout factors (0 or 1/(1-p)), or null
    final float[] mean, invStd, scale, gradGamma, gradBeta; // [out]

    MlpLayer(int in, int out, boolean hidden, int batch, TrainConfig.Method m) {
        this.in = in;
        this.out = out;
        this.hidden = hidden;
        this.lrScale = m.glorotLrScale() && m.binary() ? 1.0 / Math.sqrt(1.5 / (in + out)) : 1.0;
        int n = out * in;
        w = new float[n]; mW = new float[n]; vW = new float[n]; wbHeap = new float[n]; gradWHeap = new float[n];
        gamma = filled(out, 1f); beta = new float[out]; runMean = new float[out]; runVar = filled(out, 1f);
        mGamma = new float[out]; vGamma = new float[out]; mBeta = new float[out]; vBeta = new float[out];
        mean = new float[out]; invStd = new float[out]; scale = new float[out];
        gradGamma = new float[out]; gradBeta = new float[out];
        xhat = new float[batch * out]; pre = new float[batch * out]; act = new float[batch * out];
        d = new float[batch * out];
        drop = hidden && m.dropoutHidden() > 0 ? new float[batch * out] : null;
        wb = matrix(out, in); gradW = matrix(out, in);
        z = matrix(batch, out); a = matrix(batch, out); dz = matrix(batch, out); da = matrix(batch, out);
        wbView = view(wb); gradWView = view(gradW);
        zView = view(z); aView = view(a); dzView = view(dz); daView = view(da);
    }

    float[][] state() {
        return new float[][] {w, gamma, beta, runMean, runVar, mW, vW, mGamma, vGamma, mBeta, vBeta};
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    static INDArray matrix(int rows, int cols) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
    }

    static FloatBuffer view(INDArray a) {
        return a.data().asNioFloat();
    }
}
