package org.bcflow.rtlgen;

/**
 * How one layer is folded onto hardware lanes.
 *
 * @param pe   output neurons computed in parallel; divides the layer's outputs
 * @param simd inputs consumed in parallel per neuron; divides the layer's inputs
 */
public record LayerFolding(int pe, int simd) {
    public LayerFolding {
        if (pe < 1 || simd < 1) {
            throw new IllegalArgumentException("PE and SIMD must be positive, got " + pe + "x" + simd);
        }
    }

    @Override
    public String toString() {
        return pe + "x" + simd;
    }
}
