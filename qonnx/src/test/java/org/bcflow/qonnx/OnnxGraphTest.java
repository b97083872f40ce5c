package org.bcflow.qonnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.bcflow.qonnx.proto.Onnx;
import org.bcflow.qonnx.proto.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphTest {

    /** x[1, 4] -> Quant -> MatMul(W through BipolarQuant and Transpose) -> Reshape -> MultiThreshold -> y[1, 2]. */
    static OnnxGraph smallNetwork() {
        String q = OnnxGraph.QONNX_DOMAIN;
        return OnnxGraph.builder()
                .opset("", 11)
                .input("x", ElementType.FLOAT, 1, 4)
                .output("y", ElementType.FLOAT, 1, 2)
                .initializer("W", Tensor.of(new int[] {2, 4}, 0.3, -0.1, 0, 2, -1, -1, 1, 0.5))
                .initializer("one", Tensor.scalar(1))
                .initializer("zero", Tensor.scalar(0))
                .initializer("two", Tensor.scalar(2))
                .initializer("shape", Tensor.longs(1, -1), ElementType.INT64)
                .initializer("T", Tensor.of(new int[] {1, 2}, -0.5, 1.5))
                .node(Node.of("Quant", List.of("x", "one", "zero", "two"), List.of("xq")).withDomain(q).withName("quant")
                        .with("signed", Attribute.ofInt(1)).with("narrow", Attribute.ofInt(1))
                        .with("rounding_mode", Attribute.ofString("ROUND")))
                .node(Node.of("BipolarQuant", List.of("W", "one"), List.of("Wb")).withDomain(q).withName("wq"))
                .node(Node.of("Transpose", List.of("Wb"), List.of("Wt")).withName("t").with("perm", Attribute.ofInts(1, 0)))
                .node(Node.of("MatMul", List.of("xq", "Wt"), List.of("acc")).withName("mm"))
                .node(Node.of("Reshape", List.of("acc", "shape"), List.of("flat")).withName("reshape"))
                .node(Node.of("MultiThreshold", List.of("flat", "T"), List.of("y")).withDomain(q).withName("act")
                        .with("out_scale", Attribute.ofFloat(2)).with("out_bias", Attribute.ofFloat(-1))
                        .with("out_dtype", Attribute.ofString("BIPOLAR")).with("scales", Attribute.ofFloats(0.5, 0.25))
                        .with("table", Attribute.ofTensor(Tensor.vector(1, 2))))
                .annotate("y", OnnxGraph.FINN_DATATYPE, "BIPOLAR")
                .annotate("xq", OnnxGraph.FINN_DATATYPE, "INT2")
                .build();
    }

    @Test
    void smallNetworkComputesByHand() {
        // x = [0.4, -2, 0.6, 1] -> xq = [0, -1, 1, 1]; Wb rows [1,-1,1,1] and [-1,-1,1,1]; acc = [3, 3]
        Tensor y = new GraphExecutor(smallNetwork()).runSingle(Tensor.of(new int[] {1, 4}, 0.4, -2, 0.6, 1));
        // 3 reaches both thresholds -0.5 and 1.5: 2 * 2 - 1
        assertArrayEquals(new double[] {3, 3}, y.data(), 0.0);
        Tensor z = new GraphExecutor(smallNetwork()).runSingle(Tensor.of(new int[] {1, 4}, -1, 0, 0, 0));
        // xq = [-1, 0, 0, 0]; acc = [-1, 1] -> counts 0 and 1 -> [-1, 1]
        assertArrayEquals(new double[] {-1, 1}, z.data(), 0.0);
    }

    @Test
    void roundTripKeepsEverything() {
        OnnxGraph g = smallNetwork();
        OnnxGraph back = OnnxGraph.parse(g.toBytes(), "round trip");
        assertEquals(g.nodes(), back.nodes());
        assertEquals(g.initializers(), back.initializers());
        assertEquals(List.copyOf(g.initializers().keySet()), List.copyOf(back.initializers().keySet()));
        assertEquals(g.initializerTypes(), back.initializerTypes());
        assertEquals(ElementType.INT64, back.initializerTypes().get("shape"));
        assertEquals(g.inputs(), back.inputs());
        assertEquals(g.outputs(), back.outputs());
        assertEquals(g.quantizationAnnotations(), back.quantizationAnnotations());
        assertEquals("BIPOLAR", back.finnDatatype("y"));
        assertEquals(Map.of("", 11L, OnnxGraph.QONNX_DOMAIN, 1L), back.opsetImports());
        assertEquals(7, back.irVersion());
        Tensor x = Tensor.of(new int[] {1, 4}, 0.4, -2, 0.6, 1);
        assertEquals(new GraphExecutor(g).run(Map.of("x", x)), new GraphExecutor(back).run(Map.of("x", x)));
    }

    @Test
    void writtenModelIsAValidModelProto() throws Exception {
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(smallNetwork().toBytes());
        assertEquals("bcflow", m.getProducerName());
        assertEquals(7, m.getIrVersion());
        Onnx.TensorProto w = m.getGraph().getInitializer(0);
        assertEquals(TensorProto.DataType.FLOAT_VALUE, w.getDataType());
        assertEquals(List.of(2L, 4L), w.getDimsList());
        ByteBuffer raw = w.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0.3f, raw.getFloat());
        assertEquals(TensorProto.DataType.INT64_VALUE, m.getGraph().getInitializer(4).getDataType());
        assertEquals(1, m.getGraph().getInputCount(), "initializers are not listed among the inputs");
        assertEquals(Onnx.AttributeProto.AttributeType.INTS, m.getGraph().getNode(2).getAttribute(0).getType());
        assertEquals(2, m.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
    }

    @Test
    void writeAndReadAFile(@TempDir Path dir) {
        Path file = dir.resolve("net.onnx");
        smallNetwork().write(file);
        assertEquals(smallNetwork().nodes(), OnnxGraph.read(file).nodes());
    }

    @Test
    void initializersListedAmongInputsAreNotRealInputs() throws Exception {
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().mergeFrom(bytes(smallNetwork()));
        Onnx.GraphProto.Builder g = m.getGraphBuilder();
        // IR version 3 files list every initializer as a graph input too
        for (TensorProto t : g.getInitializerList()) {
            g.addInput(Onnx.ValueInfoProto.newBuilder().setName(t.getName()).setType(Onnx.TypeProto.newBuilder()
                    .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(t.getDataType()))));
        }
        OnnxGraph back = OnnxGraph.parse(m.setIrVersion(3).build().toByteArray(), "ir3");
        assertEquals(List.of("x"), back.inputs().stream().map(ValueInfo::name).toList());
    }

    private static byte[] bytes(OnnxGraph g) {
        return g.toBytes();
    }

    private static void assertOneLine(BcflowException e, String... parts) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void badBytesAreRefusedInOneLine() {
        byte[] text = "this is not an ONNX model, just some words\n".getBytes(StandardCharsets.UTF_8);
        assertOneLine(assertThrows(BcflowException.class, () -> OnnxGraph.parse(text, "words.onnx")), "words.onnx", "not an ONNX model");
        assertOneLine(assertThrows(BcflowException.class, () -> OnnxGraph.parse(new byte[0], "empty.onnx")), "empty.onnx", "empty");
        byte[] good = smallNetwork().toBytes();
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        assertOneLine(assertThrows(BcflowException.class, () -> OnnxGraph.parse(truncated, "cut.onnx")), "cut.onnx");
        byte[] noGraph = Onnx.ModelProto.newBuilder().setIrVersion(7).build().toByteArray();
        assertOneLine(assertThrows(BcflowException.class, () -> OnnxGraph.parse(noGraph, "m.onnx")), "m.onnx", "no graph");
    }

    @Test
    void aGraphWithoutRealInputsIsRefused() {
        OnnxGraph g = OnnxGraph.builder().initializer("a", Tensor.scalar(1)).output("b", ElementType.FLOAT)
                .node(Node.of("Neg", List.of("a"), List.of("b"))).build();
        assertOneLine(assertThrows(BcflowException.class, () -> OnnxGraph.parse(g.toBytes(), "c.onnx")), "c.onnx", "no input");
    }

    @Test
    void aMissingFileIsRefusedInOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("absent.onnx");
        assertOneLine(assertThrows(BcflowException.class, () -> OnnxGraph.read(missing)), missing.toString());
    }

    private static Tensor decode(TensorProto.Builder p) {
        return TensorCodec.decode(p.setName("t").build(), "t").tensor();
    }

    private static ByteString le(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPerValue) {
                case 1 -> b.put((byte) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return ByteString.copyFrom(b.array());
    }

    @Test
    void decodesEveryStorageOfTheSupportedTypes() {
        assertEquals(Tensor.of(new int[] {2}, 0.5, -1), decode(TensorProto.newBuilder().setDataType(1).addDims(2)
                .addFloatData(0.5f).addFloatData(-1f)));
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.1f).putFloat(3f);
        assertEquals(Tensor.of(new int[] {1, 2}, 0.1f, 3), decode(TensorProto.newBuilder().setDataType(1).addDims(1).addDims(2)
                .setRawData(ByteString.copyFrom(f.array()))));
        assertEquals(Tensor.vector(0.1), decode(TensorProto.newBuilder().setDataType(11).addDims(1).addDoubleData(0.1)));
        assertEquals(Tensor.longs(-3, 1L << 40), decode(TensorProto.newBuilder().setDataType(7).addDims(2)
                .setRawData(le(8, -3, 1L << 40))));
        assertEquals(Tensor.longs(5), decode(TensorProto.newBuilder().setDataType(7).addDims(1).addInt64Data(5)));
        assertEquals(Tensor.longs(-7, 8), decode(TensorProto.newBuilder().setDataType(6).addDims(2).setRawData(le(4, -7, 8))));
        assertEquals(Tensor.longs(-1, 127), decode(TensorProto.newBuilder().setDataType(3).addDims(2).setRawData(le(1, -1, 127))));
        assertEquals(Tensor.longs(255, 0), decode(TensorProto.newBuilder().setDataType(2).addDims(2).setRawData(le(1, 255, 0))));
        assertEquals(Tensor.longs(1, 0), decode(TensorProto.newBuilder().setDataType(9).addDims(2).addInt32Data(1).addInt32Data(0)));
        assertEquals(Tensor.scalar(2.5), decode(TensorProto.newBuilder().setDataType(1).addFloatData(2.5f)));
    }

    @Test
    void refusesOtherTypesAndWrongSizesNamingTheTensor() {
        BcflowException type = assertThrows(BcflowException.class, () -> TensorCodec.decode(TensorProto.newBuilder()
                .setName("h").setDataType(10).addDims(1).build(), "initializer h"));
        assertOneLine(type, "initializer h", "FLOAT16");
        BcflowException size = assertThrows(BcflowException.class, () -> TensorCodec.decode(TensorProto.newBuilder()
                .setName("w").setDataType(1).addDims(3).addFloatData(1).build(), "initializer w"));
        assertOneLine(size, "initializer w", "1 values of FLOAT for shape [3]");
    }

    @Test
    void encodesAndDecodesEachTypeBackToTheSameValues() {
        Tensor v = Tensor.of(new int[] {2, 2}, 1, 0, 1, 1);
        for (ElementType type : ElementType.values()) {
            TensorCodec.Typed back = TensorCodec.decode(TensorCodec.encode("v", v, type), "v");
            assertEquals(v, back.tensor(), type.name());
            assertEquals(type, back.type());
        }
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.encode("v", Tensor.scalar(0.5), ElementType.INT64));
    }
}
