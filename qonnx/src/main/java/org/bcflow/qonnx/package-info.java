/**
 * ONNX models for bcflow: reading and writing them ({@link org.bcflow.qonnx.OnnxGraph}, a plain
 * Java view of a ModelProto, built on protobuf classes generated from {@code onnx_subset.proto}),
 * and running them in double precision ({@link org.bcflow.qonnx.GraphExecutor}), QONNX's custom
 * ops BipolarQuant, Quant and MultiThreshold included. The importer of Brevitas/FINN networks and
 * the exporter of bcflow's own ({@link org.bcflow.qonnx.QonnxExporter}: a network as a QONNX graph
 * whose double evaluation is exactly the integer network) are built on these classes.
 */
package org.bcflow.qonnx;
