package org.bcflow.qonnx;

import java.util.List;

/** The implementation of one op type: the node's outputs, in order, from its inputs. */
@FunctionalInterface
interface Op {
    List<Tensor> apply(OpCall call);
}
