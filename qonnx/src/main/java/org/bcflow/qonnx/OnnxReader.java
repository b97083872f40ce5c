package org.bcflow.qonnx;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FileErrors;
import org.bcflow.qonnx.proto.Onnx.AttributeProto;
import org.bcflow.qonnx.proto.Onnx.GraphProto;
import org.bcflow.qonnx.proto.Onnx.ModelProto;
import org.bcflow.qonnx.proto.Onnx.NodeProto;
import org.bcflow.qonnx.proto.Onnx.StringStringEntryProto;
import org.bcflow.qonnx.proto.Onnx.TensorAnnotation;
import org.bcflow.qonnx.proto.Onnx.TensorProto;
import org.bcflow.qonnx.proto.Onnx.TensorShapeProto;
import org.bcflow.qonnx.proto.Onnx.TypeProto;
import org.bcflow.qonnx.proto.Onnx.ValueInfoProto;

/**
 * Turns the bytes of an ONNX file into an {@link OnnxGraph}. Every problem is a one-line
 * {@link BcflowException} that names the file: a user hands bcflow files from other tools, and a
 * protobuf stack trace would tell them nothing.
 */
final class OnnxReader {
    private OnnxReader() {
    }

    static OnnxGraph read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BcflowException("cannot read " + file + ": " + FileErrors.reason(e, file));
        }
        return parse(bytes, file.toString());
    }

    static OnnxGraph parse(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new BcflowException(source + ": not an ONNX model (the file is empty)");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new BcflowException(source + ": not an ONNX model, or a damaged one (" + oneLine(e.getMessage()) + ")");
        }
        if (!model.hasGraph()) {
            throw new BcflowException(source + ": not an ONNX model (no graph)");
        }
        try {
            return toGraph(model);
        } catch (BcflowException e) {
            throw new BcflowException(source + ": " + e.getMessage(), e);
        }
    }

    private static OnnxGraph toGraph(ModelProto model) {
        GraphProto g = model.getGraph();
        OnnxGraph.Builder b = OnnxGraph.builder().name(g.getName()).irVersion(model.getIrVersion());
        b.clearOpsets(); // exactly the model's imports: none means opset 1 (see OnnxGraph.standardOpset)
        for (var opset : model.getOpsetImportList()) {
            b.opset(opset.getDomain(), opset.getVersion());
        }
        Set<String> initializerNames = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            if (!initializerNames.add(t.getName())) {
                throw new BcflowException("initializer " + t.getName() + " appears twice");
            }
            TensorCodec.Typed typed = TensorCodec.decode(t, "initializer " + t.getName());
            b.initializer(t.getName(), typed.tensor(), typed.type());
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (!initializerNames.contains(v.getName())) {
                b.input(valueInfo(v, "input"));
            }
        }
        for (ValueInfoProto v : g.getOutputList()) {
            b.output(valueInfo(v, "output"));
        }
        for (NodeProto n : g.getNodeList()) {
            b.node(node(n));
        }
        for (TensorAnnotation a : g.getQuantizationAnnotationList()) {
            for (StringStringEntryProto e : a.getQuantParameterTensorNamesList()) {
                b.annotate(a.getTensorName(), e.getKey(), e.getValue());
            }
        }
        OnnxGraph graph = b.build();
        if (graph.inputs().isEmpty()) {
            throw new BcflowException("the graph has no input (other than initializers)");
        }
        if (graph.outputs().isEmpty()) {
            throw new BcflowException("the graph has no output");
        }
        return graph;
    }

    private static ValueInfo valueInfo(ValueInfoProto v, String role) {
        String what = role + " " + v.getName();
        if (!v.hasType() || !v.getType().hasTensorType()) {
            throw new BcflowException(what + ": not a tensor");
        }
        TypeProto.Tensor t = v.getType().getTensorType();
        ElementType type = ElementType.of(t.getElemType(), what);
        int[] shape = null;
        if (t.hasShape()) {
            shape = new int[t.getShape().getDimCount()];
            for (int d = 0; d < shape.length; d++) {
                TensorShapeProto.Dimension dim = t.getShape().getDim(d);
                shape[d] = dim.hasDimValue() && dim.getDimValue() >= 0 && dim.getDimValue() <= Integer.MAX_VALUE
                        ? (int) dim.getDimValue() : -1;
            }
        }
        return new ValueInfo(v.getName(), type, shape);
    }

    private static Node node(NodeProto n) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        String label = !n.getName().isEmpty() ? n.getName()
                : n.getOutputCount() > 0 ? "(unnamed, producing " + n.getOutput(0) + ")" : "(unnamed " + n.getOpType() + ")";
        for (AttributeProto a : n.getAttributeList()) {
            attributes.put(a.getName(), attribute(a, "node " + label + ": attribute " + a.getName()));
        }
        return new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(), attributes);
    }

    private static Attribute attribute(AttributeProto a, String what) {
        AttributeProto.AttributeType type = a.hasType() ? a.getType() : guessType(a);
        return switch (type) {
            case FLOAT -> Attribute.ofFloat(a.getF());
            case INT -> Attribute.ofInt(a.getI());
            case STRING -> Attribute.ofString(a.getS().toString(StandardCharsets.UTF_8));
            case FLOATS -> Attribute.ofFloats(a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray());
            case INTS -> Attribute.ofInts(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case TENSOR -> {
                TensorCodec.Typed t = TensorCodec.decode(a.getT(), what);
                yield Attribute.ofTensor(t.tensor(), t.type());
            }
            default -> throw new BcflowException(what + " is of type " + type + ", which is not supported "
                    + "(supported: FLOAT, INT, STRING, FLOATS, INTS, TENSOR)");
        };
    }

    /** Files from before IR version 2 may leave the type out: it follows from the field that is set. */
    private static AttributeProto.AttributeType guessType(AttributeProto a) {
        if (a.hasF()) {
            return AttributeProto.AttributeType.FLOAT;
        } else if (a.hasI()) {
            return AttributeProto.AttributeType.INT;
        } else if (a.hasS()) {
            return AttributeProto.AttributeType.STRING;
        } else if (a.hasT()) {
            return AttributeProto.AttributeType.TENSOR;
        } else if (a.getFloatsCount() > 0) {
            return AttributeProto.AttributeType.FLOATS;
        } else if (a.getIntsCount() > 0) {
            return AttributeProto.AttributeType.INTS;
        }
        return AttributeProto.AttributeType.UNDEFINED;
    }

    private static String oneLine(String s) {
        return s == null ? "unreadable" : s.replaceAll("\\s+", " ").trim();
    }
}
