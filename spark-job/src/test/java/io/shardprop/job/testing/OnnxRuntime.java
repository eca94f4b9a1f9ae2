package io.shardprop.job.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.util.Map;

/** An exported model run by ONNX Runtime's Java API: the outputs of one batch, widened to double. */
public final class OnnxRuntime {

    /** A classifier's {@code probabilities} and {@code label}, or a regression's {@code prediction}. */
    public record Outputs(double[][] probabilities, long[] labels, double[][] predictions) {
    }

    private OnnxRuntime() {
    }

    /** Runs {@code model} on {@code x} fed to input {@code input} as float32 ({@code float32}) or float64. */
    public static Outputs run(byte[] model, String input, double[][] x, boolean float32) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor in = float32 ? OnnxTensor.createTensor(env, toFloat(x)) : OnnxTensor.createTensor(env, x);
                 OrtSession.Result r = session.run(Map.of(input, in))) {
                if (r.get("prediction").isPresent()) {
                    return new Outputs(null, null, widen(r.get("prediction").get()));
                }
                return new Outputs(widen(r.get("probabilities").get()), (long[]) r.get("label").get().getValue(), null);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static double[][] widen(OnnxValue v) throws OrtException {
        Object value = v.getValue();
        if (value instanceof double[][] d) {
            return d;
        }
        float[][] f = (float[][]) value;
        double[][] d = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            d[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) {
                d[i][j] = f[i][j];
            }
        }
        return d;
    }

    private static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            f[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                f[i][j] = (float) x[i][j];
            }
        }
        return f;
    }
}
