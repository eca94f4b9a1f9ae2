package io.shardprop.core.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph being built (nodes, initializers, inputs, outputs) and written as a {@code ModelProto}: the few
 * messages of {@code onnx.proto} an MLP needs, encoded by {@link Protobuf}. Field numbers are {@code onnx.proto}'s.
 * Every tensor of the graph's own numbers (weights, constants) has its {@link ElementType}; shapes may name a
 * symbolic dimension ({@code "N"}, the batch).
 */
public final class OnnxGraph {

    /** ONNX IR version 8 (ONNX 1.10+), which opset {@value #OPSET} needs at least. */
    public static final long IR_VERSION = 8;
    /** The default domain's operator set: 17 (ONNX 1.12, ONNX Runtime 1.12+). */
    public static final long OPSET = 17;

    /** {@code TensorProto.DataType} values used here. */
    public enum ElementType {
        FLOAT(1, "float32"), INT64(7, "int64"), DOUBLE(11, "float64");

        public final int code;
        public final String label;

        ElementType(int code, String label) {
            this.code = code;
            this.label = label;
        }

        public static ElementType of(int code) {
            for (ElementType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("ONNX: element type " + code + " (expected 1 float, 7 int64 or 11 double)");
        }
    }

    // ModelProto
    static final int MODEL_IR_VERSION = 1, MODEL_PRODUCER_NAME = 2, MODEL_PRODUCER_VERSION = 3, MODEL_DOC = 6,
            MODEL_GRAPH = 7, MODEL_OPSET_IMPORT = 8, MODEL_METADATA = 14;
    // OperatorSetIdProto, StringStringEntryProto
    static final int OPSET_DOMAIN = 1, OPSET_VERSION = 2, ENTRY_KEY = 1, ENTRY_VALUE = 2;
    // GraphProto
    static final int GRAPH_NODE = 1, GRAPH_NAME = 2, GRAPH_INITIALIZER = 5, GRAPH_DOC = 10, GRAPH_INPUT = 11,
            GRAPH_OUTPUT = 12;
    // NodeProto
    static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5;
    // AttributeProto and its AttributeType
    static final int ATTR_NAME = 1, ATTR_F = 2, ATTR_I = 3, ATTR_INTS = 8, ATTR_TYPE = 20;
    static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_INTS_TYPE = 7;
    // TensorProto
    static final int TENSOR_DIMS = 1, TENSOR_DATA_TYPE = 2, TENSOR_NAME = 8, TENSOR_RAW_DATA = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    static final int VALUE_NAME = 1, VALUE_TYPE = 2, TYPE_TENSOR = 1, TENSOR_TYPE_ELEM = 1, TENSOR_TYPE_SHAPE = 2,
            SHAPE_DIM = 1, DIM_VALUE = 1, DIM_PARAM = 2;

    private final String name;
    private final ElementType type;
    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();
    private int counter;

    /** A graph named {@code name} whose numbers are of {@code type} (float or double). */
    public OnnxGraph(String name, ElementType type) {
        if (type == ElementType.INT64) {
            throw new IllegalArgumentException("OnnxGraph: the weights' type is float32 or float64, not int64");
        }
        this.name = name;
        this.type = type;
    }

    /** The element type of the graph's weights and activations. */
    public ElementType type() {
        return type;
    }

    /** An input of the graph's type and shape {@code dims} (each an Integer/Long, or a String: symbolic). */
    public OnnxGraph input(String name, Object... dims) {
        inputs.add(valueInfo(name, type, dims));
        return this;
    }

    /** An output of {@code elementType} and shape {@code dims}. */
    public OnnxGraph output(String name, ElementType elementType, Object... dims) {
        outputs.add(valueInfo(name, elementType, dims));
        return this;
    }

    /**
     * A weight tensor {@code name} of shape {@code dims}: {@code values[from..]} in row-major order, stored in the
     * graph's type (float32: each value rounded to nearest).
     */
    public String weights(String name, double[] values, int from, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        byte[] raw = type == ElementType.FLOAT ? Protobuf.littleEndianFloats(values, from, (int) count)
                : Protobuf.littleEndianDoubles(values, from, (int) count);
        initializers.add(tensor(name, type, raw, dims));
        return name;
    }

    /** A scalar constant of the graph's type, named uniquely; returns its name. */
    public String constant(double value) {
        return weights("c" + (counter++) + "_" + Double.toString(value).replace('-', 'm').replace('.', '_'),
                new double[]{value}, 0);
    }

    /** An int64 vector constant, named uniquely (e.g. the axes of a ReduceSum); returns its name. */
    public String int64s(long... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        String n = "axes" + (counter++);
        initializers.add(tensor(n, ElementType.INT64, b.array(), values.length));
        return n;
    }

    /**
     * A node {@code op(inputs) → output}; attributes are given as name, value pairs (a Long or Integer: int, a
     * Double: float, a long[]: ints). Returns {@code output}.
     */
    public String node(String op, List<String> in, String output, Object... attributes) {
        Protobuf node = new Protobuf();
        for (String i : in) {
            node.string(NODE_INPUT, i);
        }
        node.string(NODE_OUTPUT, output).string(NODE_NAME, op + "_" + (counter++)).string(NODE_OP_TYPE, op);
        for (int a = 0; a < attributes.length; a += 2) {
            Protobuf attr = new Protobuf().string(ATTR_NAME, (String) attributes[a]);
            Object v = attributes[a + 1];
            if (v instanceof Integer || v instanceof Long) {
                attr.varint(ATTR_I, ((Number) v).longValue()).varint(ATTR_TYPE, ATTR_INT);
            } else if (v instanceof Double d) {
                attr.float32(ATTR_F, d.floatValue()).varint(ATTR_TYPE, ATTR_FLOAT);
            } else if (v instanceof long[] ints) {
                attr.packedVarints(ATTR_INTS, ints).varint(ATTR_TYPE, ATTR_INTS_TYPE);
            } else {
                throw new IllegalArgumentException("OnnxGraph: attribute " + attributes[a] + " of type " + v.getClass());
            }
            node.message(NODE_ATTRIBUTE, attr);
        }
        nodes.add(node);
        return output;
    }

    /** A fresh name for an intermediate value, {@code stem} with a number. */
    public String fresh(String stem) {
        return stem + "_" + (counter++);
    }

    /** The {@code ModelProto}: IR {@value #IR_VERSION}, opset {@value #OPSET}, this graph, {@code metadata}. */
    public byte[] model(String producer, String producerVersion, String doc, Map<String, String> metadata) {
        Protobuf graph = new Protobuf();
        nodes.forEach(n -> graph.message(GRAPH_NODE, n));
        graph.string(GRAPH_NAME, name);
        initializers.forEach(t -> graph.message(GRAPH_INITIALIZER, t));
        graph.string(GRAPH_DOC, doc);
        inputs.forEach(v -> graph.message(GRAPH_INPUT, v));
        outputs.forEach(v -> graph.message(GRAPH_OUTPUT, v));
        Protobuf model = new Protobuf().varint(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, producer).string(MODEL_PRODUCER_VERSION, producerVersion)
                .string(MODEL_DOC, doc).message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, new Protobuf().string(OPSET_DOMAIN, "").varint(OPSET_VERSION, OPSET));
        metadata.forEach((k, v) -> model.message(MODEL_METADATA,
                new Protobuf().string(ENTRY_KEY, k).string(ENTRY_VALUE, v)));
        return model.toByteArray();
    }

    private static Protobuf tensor(String name, ElementType t, byte[] raw, long... dims) {
        Protobuf tensor = new Protobuf();
        if (dims.length > 0) {
            tensor.packedVarints(TENSOR_DIMS, dims);
        }
        return tensor.varint(TENSOR_DATA_TYPE, t.code).string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw);
    }

    private static Protobuf valueInfo(String name, ElementType t, Object... dims) {
        Protobuf shape = new Protobuf();
        for (Object d : dims) {
            Protobuf dim = new Protobuf();
            if (d instanceof String s) {
                dim.string(DIM_PARAM, s);
            } else {
                dim.varint(DIM_VALUE, ((Number) d).longValue());
            }
            shape.message(SHAPE_DIM, dim);
        }
        Protobuf tensorType = new Protobuf().varint(TENSOR_TYPE_ELEM, t.code).message(TENSOR_TYPE_SHAPE, shape);
        return new Protobuf().string(VALUE_NAME, name).message(VALUE_TYPE, new Protobuf().message(TYPE_TENSOR, tensorType));
    }
}
