package io.shardprop.core.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffer wire format, as much of it as an ONNX file needs: one message being written, its fields
 * appended in order. Varints (wire type 0) for integers and enums, length-delimited fields (wire type 2) for
 * strings, bytes, nested messages and packed repeated numbers. Field numbers come from {@code onnx.proto}; the
 * constants live with the messages that use them ({@link OnnxModel}).
 */
public final class Protobuf {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** {@code field}: an int32/int64/enum/bool, as a varint (negative values take ten bytes, as protobuf's). */
    public Protobuf varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** {@code field}: a UTF-8 string. */
    public Protobuf string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code field}: bytes. */
    public Protobuf bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** {@code field}: a nested message. */
    public Protobuf message(int field, Protobuf value) {
        return bytes(field, value.toByteArray());
    }

    /** {@code field}: a {@code float} (wire type 5). */
    public Protobuf float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    /** {@code field}: repeated int64, packed. */
    public Protobuf packedVarints(int field, long... values) {
        Protobuf packed = new Protobuf();
        for (long v : values) {
            packed.rawVarint(v);
        }
        return bytes(field, packed.toByteArray());
    }

    /** Little-endian bytes of {@code values} as float32, for a tensor's {@code raw_data}. */
    public static byte[] littleEndianFloats(double[] values, int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putFloat((float) values[from + i]);
        }
        return b.array();
    }

    /** Little-endian bytes of {@code values} as float64, for a tensor's {@code raw_data}. */
    public static byte[] littleEndianDoubles(double[] values, int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putDouble(values[from + i]);
        }
        return b.array();
    }

    /** The message written so far. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
