package io.shardprop.core.onnx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProtobufTest {

    @Test
    void fieldsRoundTripThroughTheReader() {
        Protobuf inner = new Protobuf().string(1, "é W1").varint(2, 11);
        byte[] bytes = new Protobuf().varint(1, 0).varint(1, 300).varint(3, -1).varint(4, Long.MAX_VALUE)
                .message(5, inner).message(5, new Protobuf()).float32(6, 0.01f)
                .packedVarints(7, 0, 1, 127, 128, 1L << 40).bytes(8, new byte[]{0, (byte) 0xff}).toByteArray();
        ProtobufReader r = new ProtobufReader(bytes);
        assertEquals(java.util.List.of(0L, 300L), r.all(1));
        assertEquals(300, r.varint(1, -5));
        assertEquals(-1, r.varint(3, 0));
        assertEquals(Long.MAX_VALUE, r.varint(4, 0));
        assertEquals(-5, r.varint(9, -5));
        assertEquals(2, r.messages(5).size());
        assertEquals("é W1", r.messages(5).get(0).string(1));
        assertEquals(11, r.messages(5).get(0).varint(2, 0));
        assertEquals(0.01f, Float.intBitsToFloat((int) (long) r.all(6).get(0)));
        assertArrayEquals(new long[]{0, 1, 127, 128, 1L << 40}, r.packedVarints(7));
        assertArrayEquals(new byte[]{0, (byte) 0xff}, r.bytes(8));
    }

    @Test
    void encodingIsProtobufs() {
        // the examples of protobuf's encoding guide: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 …
        assertArrayEquals(new byte[]{0x08, (byte) 0x96, 0x01}, new Protobuf().varint(1, 150).toByteArray());
        assertArrayEquals(new byte[]{0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'},
                new Protobuf().string(2, "testing").toByteArray());
        // a negative int64 takes ten bytes
        assertEquals(11, new Protobuf().varint(1, -1).toByteArray().length);
    }

    @Test
    void truncatedMessagesAreRefused() {
        byte[] ok = new Protobuf().string(1, "abc").toByteArray();
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 1);
        assertThrows(IllegalArgumentException.class, () -> new ProtobufReader(cut));
        assertThrows(IllegalArgumentException.class, () -> new ProtobufReader(new byte[]{(byte) 0x80}));
        assertThrows(IllegalArgumentException.class, () -> new ProtobufReader(new byte[]{0x0b}));  // wire type 3
    }
}
