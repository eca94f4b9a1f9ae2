package io.shardprop.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.shardprop.core.onnx.OnnxGraph.*;

/**
 * An ONNX {@code ModelProto} read back: its IR version, operator sets, metadata, and the graph's inputs, outputs,
 * nodes and initializers with their values. It reads what {@link OnnxGraph} writes (raw-data tensors of float,
 * double or int64), to check an export's structure and weights without a runtime.
 *
 * @param irVersion   {@code ir_version}
 * @param opsets      domain → version ({@code ""} is the default domain)
 * @param producer    {@code producer_name}
 * @param metadata    {@code metadata_props}
 * @param graphName   the graph's name
 * @param inputs      the graph's inputs
 * @param outputs     the graph's outputs
 * @param nodes       the nodes, in order
 * @param initializers by name, in order
 */
public record OnnxFile(long irVersion, Map<String, Long> opsets, String producer, Map<String, String> metadata,
                       String graphName, List<Value> inputs, List<Value> outputs, List<Node> nodes,
                       Map<String, Tensor> initializers) {

    /** A graph input or output: its name, element type and shape (a Long, or a String for a symbolic dimension). */
    public record Value(String name, ElementType type, List<Object> dims) {
    }

    /** A node: operator, inputs, outputs and its int/float/ints attributes by name. */
    public record Node(String op, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
    }

    /** An initializer: element type, shape, and its values as doubles (int64 and float32 widened exactly). */
    public record Tensor(ElementType type, long[] dims, double[] values) {
    }

    /** Reads {@code bytes} as a {@code ModelProto}. @throws IllegalArgumentException if it is not one */
    public static OnnxFile read(byte[] bytes) {
        ProtobufReader model = new ProtobufReader(bytes);
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (ProtobufReader o : model.messages(MODEL_OPSET_IMPORT)) {
            opsets.put(o.string(OPSET_DOMAIN) == null ? "" : o.string(OPSET_DOMAIN), o.varint(OPSET_VERSION, 0));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (ProtobufReader e : model.messages(MODEL_METADATA)) {
            metadata.put(e.string(ENTRY_KEY), e.string(ENTRY_VALUE));
        }
        ProtobufReader graph = model.message(MODEL_GRAPH);
        if (graph == null) {
            throw new IllegalArgumentException("ONNX: the model has no graph");
        }
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        for (ProtobufReader t : graph.messages(GRAPH_INITIALIZER)) {
            initializers.put(t.string(TENSOR_NAME), tensor(t));
        }
        return new OnnxFile(model.varint(MODEL_IR_VERSION, 0), opsets, model.string(MODEL_PRODUCER_NAME), metadata,
                graph.string(GRAPH_NAME), graph.messages(GRAPH_INPUT).stream().map(OnnxFile::value).toList(),
                graph.messages(GRAPH_OUTPUT).stream().map(OnnxFile::value).toList(),
                graph.messages(GRAPH_NODE).stream().map(OnnxFile::node).toList(), initializers);
    }

    /** The operator types of the nodes, in order. */
    public List<String> ops() {
        return nodes.stream().map(Node::op).toList();
    }

    private static Value value(ProtobufReader v) {
        ProtobufReader tensorType = v.message(VALUE_TYPE).message(TYPE_TENSOR);
        ProtobufReader shape = tensorType.message(TENSOR_TYPE_SHAPE);
        List<Object> dims = shape == null ? List.of() : shape.messages(SHAPE_DIM).stream()
                .map(d -> d.string(DIM_PARAM) != null ? (Object) d.string(DIM_PARAM) : (Object) d.varint(DIM_VALUE, -1))
                .toList();
        return new Value(v.string(VALUE_NAME), ElementType.of((int) tensorType.varint(TENSOR_TYPE_ELEM, 0)), dims);
    }

    private static Node node(ProtobufReader n) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (ProtobufReader a : n.messages(NODE_ATTRIBUTE)) {
            long type = a.varint(ATTR_TYPE, 0);
            Object v = switch ((int) type) {
                case ATTR_INT -> a.varint(ATTR_I, 0);
                case ATTR_FLOAT -> (double) Float.intBitsToFloat((int) a.varint(ATTR_F, 0));
                case ATTR_INTS_TYPE -> a.packedVarints(ATTR_INTS);
                default -> throw new IllegalArgumentException("ONNX: attribute " + a.string(ATTR_NAME) + " of type " + type);
            };
            attributes.put(a.string(ATTR_NAME), v);
        }
        return new Node(n.string(NODE_OP_TYPE), n.strings(NODE_INPUT), n.strings(NODE_OUTPUT), attributes);
    }

    private static Tensor tensor(ProtobufReader t) {
        ElementType type = ElementType.of((int) t.varint(TENSOR_DATA_TYPE, 0));
        long[] dims = t.packedVarints(TENSOR_DIMS);
        byte[] raw = t.bytes(TENSOR_RAW_DATA);
        if (raw == null) {
            throw new IllegalArgumentException("ONNX: initializer " + t.string(TENSOR_NAME) + " has no raw_data");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int width = type == ElementType.FLOAT ? 4 : 8;
        double[] values = new double[raw.length / width];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (type) {
                case FLOAT -> b.getFloat();
                case DOUBLE -> b.getDouble();
                case INT64 -> b.getLong();
            };
        }
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("ONNX: initializer " + t.string(TENSOR_NAME) + " has " + values.length
                    + " values for shape " + java.util.Arrays.toString(dims));
        }
        return new Tensor(type, dims, values);
    }
}
