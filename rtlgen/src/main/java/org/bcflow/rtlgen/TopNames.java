package org.bcflow.rtlgen;

/**
 * The names of the generated top's wires and instances, in one place: {@link TopEmitter} declares
 * them, and the simulation wrappers in sim reach into the top by them (hierarchical references),
 * so a renamed wire cannot leave a wrapper pointing at nothing.
 */
public final class TopNames {
    /** The stream bc_input hands to the first layer. */
    public static final String INPUT_STREAM = "pixels";
    /** The instance of bc_input. */
    public static final String INPUT_INSTANCE = "u_input";
    /** The instance of bc_inquant, the input quantizer's comparators (only in a design that has one). */
    public static final String QUANTIZER_INSTANCE = "u_inquant";
    /** The codes bc_inquant makes of s_axis_tdata, which bc_input gathers. */
    public static final String QUANTIZED_DATA = "quantized_tdata";
    /** The instance of bc_argmax. */
    public static final String ARGMAX_INSTANCE = "u_argmax";
    /** The wire that takes bc_argmax's scores when the top has no scores port. */
    public static final String UNUSED_SCORES = "unused_scores";

    private TopNames() {
    }

    /** The instance of a layer's bc_dense. */
    public static String layerInstance(String layer) {
        return "u_" + layer;
    }

    /** The stream of windows a conv layer's sliding-window unit (bc_swu) hands its matrix. */
    public static String windowStream(String layer) {
        return layer + "_window";
    }

    /** The stream of SIMD-value words a width converter (bc_dwc) hands a layer that takes a map pixel by pixel. */
    public static String wordStream(String layer) {
        return layer + "_words";
    }

    /** The instance of a streaming unit of a layer: its window unit, its width converter, or a max-pool (by its own name). */
    public static String unitInstance(String layer, String unit) {
        return "u_" + layer + (unit.isEmpty() ? "" : "_" + unit);
    }

    /** The valid wire of the stream a stage drives (a layer, or {@link #INPUT_STREAM}). */
    public static String valid(String stream) {
        return stream + "_valid";
    }

    /** The ready wire of the stream a stage drives. */
    public static String ready(String stream) {
        return stream + "_ready";
    }

    /** The data wire of the stream a stage drives. */
    public static String data(String stream) {
        return stream + "_data";
    }
}
