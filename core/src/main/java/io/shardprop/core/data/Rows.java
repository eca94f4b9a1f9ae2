package io.shardprop.core.data;

/**
 * {@code out[o .. o + n) = Σ_{m < k} c[c0 + m] · rows[m·rs .. m·rs + n)}, the one kernel of the elastic field
 * ({@link ElasticField}): with the Vector API when the JVM has {@code jdk.incubator.vector} (Spark's launcher adds
 * it; so do ShardProp's scripts), else a plain loop. Both add the products in the same order, one multiply and one
 * add each (never fused), so both give the same bits, and so does every machine.
 */
final class Rows {

    /** Whether the Vector API is used. */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Rows() {
    }

    static void combine(float[] c, int c0, int k, float[] rows, int rs, float[] out, int o, int n) {
        if (VECTOR) {
            VectorRows.combine(c, c0, k, rows, rs, out, o, n);
        } else {
            scalar(c, c0, k, rows, rs, out, o, n, 0);
        }
    }

    /** The plain loop, from element {@code from} on (the Vector API's tail). */
    static void scalar(float[] c, int c0, int k, float[] rows, int rs, float[] out, int o, int n, int from) {
        for (int j = from; j < n; j++) {
            float s = rows[j] * c[c0];
            for (int m = 1; m < k; m++) {
                s += rows[m * rs + j] * c[c0 + m];
            }
            out[o + j] = s;
        }
    }
}
