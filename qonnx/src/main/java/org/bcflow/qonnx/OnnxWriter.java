package org.bcflow.qonnx;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bcflow.qonnx.proto.Onnx.AttributeProto;
import org.bcflow.qonnx.proto.Onnx.GraphProto;
import org.bcflow.qonnx.proto.Onnx.ModelProto;
import org.bcflow.qonnx.proto.Onnx.NodeProto;
import org.bcflow.qonnx.proto.Onnx.OperatorSetIdProto;
import org.bcflow.qonnx.proto.Onnx.StringStringEntryProto;
import org.bcflow.qonnx.proto.Onnx.TensorAnnotation;
import org.bcflow.qonnx.proto.Onnx.TensorShapeProto;
import org.bcflow.qonnx.proto.Onnx.TypeProto;
import org.bcflow.qonnx.proto.Onnx.ValueInfoProto;

/** Turns an {@link OnnxGraph} into the bytes of an ONNX ModelProto, with every attribute's type set. */
final class OnnxWriter {
    static final String PRODUCER = "bcflow";

    private OnnxWriter() {
    }

    static byte[] toBytes(OnnxGraph graph) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(graph.irVersion()).setProducerName(PRODUCER);
        graph.opsetImports().forEach((domain, version) ->
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        GraphProto.Builder g = GraphProto.newBuilder().setName(graph.name());
        for (Node n : graph.nodes()) {
            g.addNode(node(n));
        }
        graph.initializers().forEach((name, t) -> g.addInitializer(
                TensorCodec.encode(name, t, graph.initializerTypes().getOrDefault(name, ElementType.FLOAT))));
        graph.inputs().forEach(v -> g.addInput(valueInfo(v)));
        graph.outputs().forEach(v -> g.addOutput(valueInfo(v)));
        graph.quantizationAnnotations().forEach((tensor, entries) -> {
            TensorAnnotation.Builder a = TensorAnnotation.newBuilder().setTensorName(tensor);
            entries.forEach((k, v) -> a.addQuantParameterTensorNames(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
            g.addQuantizationAnnotation(a);
        });
        return m.setGraph(g).build().toByteArray();
    }

    private static NodeProto node(Node n) {
        NodeProto.Builder p = NodeProto.newBuilder().setOpType(n.opType()).addAllInput(n.inputs()).addAllOutput(n.outputs());
        if (!n.name().isEmpty()) {
            p.setName(n.name());
        }
        if (!n.domain().isEmpty()) {
            p.setDomain(n.domain());
        }
        for (Map.Entry<String, Attribute> e : n.attributes().entrySet()) {
            p.addAttribute(attribute(e.getKey(), e.getValue()));
        }
        return p.build();
    }

    private static AttributeProto attribute(String name, Attribute a) {
        AttributeProto.Builder p = AttributeProto.newBuilder().setName(name);
        switch (a.kind()) {
            case FLOAT -> p.setType(AttributeProto.AttributeType.FLOAT).setF((float) a.asFloat());
            case INT -> p.setType(AttributeProto.AttributeType.INT).setI(a.asInt());
            case STRING -> p.setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFrom(a.asString(), StandardCharsets.UTF_8));
            case FLOATS -> {
                p.setType(AttributeProto.AttributeType.FLOATS);
                for (double f : a.asFloats()) {
                    p.addFloats((float) f);
                }
            }
            case INTS -> {
                p.setType(AttributeProto.AttributeType.INTS);
                for (long i : a.asInts()) {
                    p.addInts(i);
                }
            }
            case TENSOR -> p.setType(AttributeProto.AttributeType.TENSOR)
                    .setT(TensorCodec.encode(name, a.asTensor(), a.tensorType()));
        }
        return p.build();
    }

    private static ValueInfoProto valueInfo(ValueInfo v) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(v.type().code());
        int[] shape = v.shape();
        if (shape != null) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (int d : shape) {
                // a dimension of any length is written as a symbolic one, as exporters do for the batch
                s.addDim(d >= 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(d)
                        : TensorShapeProto.Dimension.newBuilder().setDimParam("?"));
            }
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(v.name()).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }
}
