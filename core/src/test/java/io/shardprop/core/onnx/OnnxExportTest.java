package io.shardprop.core.onnx;

import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.onnx.OnnxGraph.ElementType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxExportTest {

    private static double[] params(Layout layout, long seed) {
        Random r = new Random(seed);
        double[] p = new double[layout.paramCount()];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextGaussian();
        }
        return p;
    }

    @Test
    void theSeedModelIsGemmReluMatMulAndTheNotebooksSoftmax() {
        Mlp seed = Mlp.seed(100);
        double[] p = params(seed.layout(), 1);
        OnnxFile f = OnnxFile.read(OnnxExport.export(seed, p, new OnnxExport.Options(ElementType.DOUBLE, false), "t",
                Map.of("loss", "seed")));
        assertEquals(OnnxGraph.IR_VERSION, f.irVersion());
        assertEquals(Map.of("", OnnxGraph.OPSET), f.opsets());
        assertEquals("ShardProp", f.producer());
        assertEquals(Map.of("loss", "seed"), f.metadata());
        assertEquals(List.of("Gemm", "Relu", "MatMul", "ReduceMax", "Sub", "Exp", "ReduceSum", "Add", "Reciprocal",
                "Mul", "ArgMax"), f.ops());
        assertEquals(List.of(new OnnxFile.Value("features", ElementType.DOUBLE, List.of("N", 784L))), f.inputs());
        assertEquals(List.of(new OnnxFile.Value("probabilities", ElementType.DOUBLE, List.of("N", 10L)),
                new OnnxFile.Value("label", ElementType.INT64, List.of("N"))), f.outputs());
        OnnxFile.Tensor w1 = f.initializers().get("W1");
        OnnxFile.Tensor b1 = f.initializers().get("b1");
        OnnxFile.Tensor w2 = f.initializers().get("W2");
        assertArrayEquals(new long[]{784, 100}, w1.dims());
        assertArrayEquals(new long[]{100}, b1.dims());
        assertArrayEquals(new long[]{100, 10}, w2.dims());
        // the flat vector, bit for bit: W1's 784 rows, its ones-column row as b1, then W2
        assertArrayEquals(java.util.Arrays.copyOfRange(p, 0, 78400), w1.values());
        assertArrayEquals(java.util.Arrays.copyOfRange(p, 78400, 78500), b1.values());
        assertArrayEquals(java.util.Arrays.copyOfRange(p, 78500, 79500), w2.values());
        OnnxFile.Node argmax = f.nodes().get(f.nodes().size() - 1);
        assertEquals(Map.of("axis", 1L, "keepdims", 0L, "select_last_index", 0L), argmax.attributes());
        assertEquals(List.of("h2"), argmax.inputs());
        assertEquals(1e-12, f.initializers().get(f.nodes().get(7).inputs().get(1)).values()[0]);
    }

    @Test
    void float32WeightsAreRoundedToNearestAndPixelsAreDividedBy255() {
        Mlp m = new Mlp(Layout.mnist(new int[]{8, 6}, true), Loss.XENT, Activation.TANH);
        double[] p = params(m.layout(), 2);
        OnnxFile f = OnnxFile.read(OnnxExport.export(m, p, new OnnxExport.Options(ElementType.FLOAT, true), "t",
                Map.of()));
        assertEquals(List.of("Div", "Gemm", "Tanh", "Gemm", "Tanh", "Gemm", "Softmax", "ArgMax"), f.ops());
        assertEquals("pixels", f.inputs().get(0).name());
        assertEquals(ElementType.FLOAT, f.inputs().get(0).type());
        assertEquals(255.0, f.initializers().get(f.nodes().get(0).inputs().get(1)).values()[0]);
        Layout l = m.layout();
        OnnxFile.Tensor b3 = f.initializers().get("b3");
        assertArrayEquals(new long[]{10}, b3.dims());
        for (int j = 0; j < 10; j++) {
            assertEquals((float) p[l.offset(2) + 6 * 10 + j], b3.values()[j]);
        }
        assertArrayEquals(new long[]{8, 6}, f.initializers().get("W2").dims());
        assertEquals(1L, f.nodes().get(6).attributes().get("axis"));
    }

    @Test
    void everyActivationAndARegressionHaveTheirNodes() {
        Layout layout = new Layout(5, new int[]{4}, 1, true);
        for (Activation a : Activation.values()) {
            Mlp m = new Mlp(layout, Loss.SQUARED, a);
            OnnxFile f = OnnxFile.read(OnnxExport.export(m, params(layout, 3), new OnnxExport.Options(ElementType.DOUBLE,
                    false), "t", Map.of()));
            List<String> ops = f.ops();
            assertEquals("Gemm", ops.get(0));
            assertEquals("Gemm", ops.get(ops.size() - 1));
            assertEquals(List.of(new OnnxFile.Value("prediction", ElementType.DOUBLE, List.of("N", 1L))), f.outputs());
            assertFalse(ops.contains("ArgMax"));
            String expected = switch (a) {
                case RELU -> "Relu";
                case LEAKY_RELU -> "LeakyRelu";
                case TANH, GELU -> "Tanh";
                case SIGMOID -> "Sigmoid";
            };
            if (a == Activation.LEAKY_RELU) {
                assertEquals(List.of("Gemm", "Mul", "Max", "Gemm"), ops);  // float64: α stays a double
                OnnxFile f32 = OnnxFile.read(OnnxExport.export(m, params(layout, 3),
                        new OnnxExport.Options(ElementType.FLOAT, false), "t", Map.of()));
                assertEquals(List.of("Gemm", "LeakyRelu", "Gemm"), f32.ops());
                assertEquals(0.01, (double) f32.nodes().get(1).attributes().get("alpha"), 1e-9);
            } else {
                assertTrue(ops.contains(expected), a + ": " + ops);
            }
        }
    }

    @Test
    void aWrongParameterCountIsRefused() {
        Mlp seed = Mlp.seed(3);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.export(seed, new double[5], new OnnxExport.Options(ElementType.FLOAT, false), "t",
                        Map.of()));
        assertTrue(e.getMessage().contains("5 parameters"), e.getMessage());
    }
}
