package io.shardprop.core.data;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Rows#combine} with the Vector API: loaded only when the JVM has {@code jdk.incubator.vector}. */
final class VectorRows {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorRows() {
    }

    static void combine(float[] c, int c0, int k, float[] rows, int rs, float[] out, int o, int n) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            FloatVector acc = FloatVector.fromArray(SPECIES, rows, j).mul(c[c0]);
            for (int m = 1; m < k; m++) {
                acc = acc.add(FloatVector.fromArray(SPECIES, rows, m * rs + j).mul(c[c0 + m]));
            }
            acc.intoArray(out, o + j);
        }
        Rows.scalar(c, c0, k, rows, rs, out, o, n, j);
    }
}
