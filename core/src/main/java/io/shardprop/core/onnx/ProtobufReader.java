package io.shardprop.core.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one protocol-buffer message into its fields, by number, in order: varints as {@link Long}, fixed32 and
 * fixed64 as raw {@link Long} bits, length-delimited fields as {@code byte[]} (a string, bytes, a nested message or
 * a packed list: the schema says which; see {@link #message}, {@link #string} and {@link #packedVarints}). Enough to
 * read back what {@link Protobuf} writes, and ONNX files in general.
 */
public final class ProtobufReader {

    private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

    /** @throws IllegalArgumentException if {@code bytes} is not a well-formed message */
    public ProtobufReader(byte[] bytes) {
        int[] pos = {0};
        while (pos[0] < bytes.length) {
            long tag = varint(bytes, pos);
            int field = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            if (field < 1) {
                throw new IllegalArgumentException("protobuf: field number " + field + " at byte " + pos[0]);
            }
            Object value = switch (type) {
                case Protobuf.VARINT -> varint(bytes, pos);
                case Protobuf.FIXED64 -> fixed(bytes, pos, 8);
                case Protobuf.FIXED32 -> fixed(bytes, pos, 4);
                case Protobuf.LENGTH_DELIMITED -> {
                    long n = varint(bytes, pos);
                    if (n < 0 || pos[0] + n > bytes.length) {
                        throw new IllegalArgumentException("protobuf: field " + field + " of " + n
                                + " bytes runs past the end (" + bytes.length + ")");
                    }
                    byte[] b = java.util.Arrays.copyOfRange(bytes, pos[0], pos[0] + (int) n);
                    pos[0] += (int) n;
                    yield b;
                }
                default -> throw new IllegalArgumentException("protobuf: wire type " + type + " of field " + field);
            };
            fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
        }
    }

    /** The field numbers present, in the order first seen. */
    public java.util.Set<Integer> fieldNumbers() {
        return fields.keySet();
    }

    /** Every value of {@code field} (empty when absent). */
    public List<Object> all(int field) {
        return fields.getOrDefault(field, List.of());
    }

    /** The last varint of {@code field} (protobuf's rule for a repeated scalar read as one), or {@code absent}. */
    public long varint(int field, long absent) {
        List<Object> v = all(field);
        return v.isEmpty() ? absent : (Long) v.get(v.size() - 1);
    }

    /** The last value of string {@code field}, or null. */
    public String string(int field) {
        List<Object> v = all(field);
        return v.isEmpty() ? null : new String((byte[]) v.get(v.size() - 1), StandardCharsets.UTF_8);
    }

    /** Every value of repeated string {@code field}. */
    public List<String> strings(int field) {
        return all(field).stream().map(b -> new String((byte[]) b, StandardCharsets.UTF_8)).toList();
    }

    /** Every value of repeated message {@code field}, read. */
    public List<ProtobufReader> messages(int field) {
        return all(field).stream().map(b -> new ProtobufReader((byte[]) b)).toList();
    }

    /** The last value of message {@code field}, read, or null. */
    public ProtobufReader message(int field) {
        List<ProtobufReader> m = messages(field);
        return m.isEmpty() ? null : m.get(m.size() - 1);
    }

    /** The last value of bytes {@code field}, or null. */
    public byte[] bytes(int field) {
        List<Object> v = all(field);
        return v.isEmpty() ? null : (byte[]) v.get(v.size() - 1);
    }

    /** Repeated int64 {@code field}, packed or not (a parser must accept both). */
    public long[] packedVarints(int field) {
        List<Long> values = new ArrayList<>();
        for (Object o : all(field)) {
            if (o instanceof Long l) {
                values.add(l);
            } else {
                byte[] b = (byte[]) o;
                int[] pos = {0};
                while (pos[0] < b.length) {
                    values.add(varint(b, pos));
                }
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static long varint(byte[] b, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new IllegalArgumentException("protobuf: a varint runs past the end (" + b.length + " bytes)");
            }
            int next = b[pos[0]++] & 0xFF;
            value |= (long) (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("protobuf: a varint longer than ten bytes at byte " + pos[0]);
    }

    private static long fixed(byte[] b, int[] pos, int n) {
        if (pos[0] + n > b.length) {
            throw new IllegalArgumentException("protobuf: a fixed" + 8 * n + " runs past the end");
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            value |= (long) (b[pos[0]++] & 0xFF) << (8 * i);
        }
        return value;
    }
}
