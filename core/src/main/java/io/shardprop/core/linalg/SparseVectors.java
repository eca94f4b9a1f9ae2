package io.shardprop.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SparseMat}'s loops on the Vector API, loaded only when the JVM has {@code jdk.incubator.vector}. Each
 * returns the index where the caller's plain loop goes on (the tail shorter than a vector): the same multiply
 * and add per element, never fused, so the same bits as the plain loop.
 */
final class SparseVectors {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** Four lanes, for a tail of four or more when the preferred vectors are longer (100 = 12 × 8 + 4). */
    private static final VectorSpecies<Double> FOUR = DoubleVector.SPECIES_256;
    private static final boolean FOUR_TAIL = SPECIES.length() > FOUR.length();

    private SparseVectors() {
    }

    static int addOne(double[] y, int yOff, int k, double[] x, int xOff, double a) {
        int bound = SPECIES.loopBound(k);
        DoubleVector av = DoubleVector.broadcast(SPECIES, a);
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, y, yOff + j)
                    .add(DoubleVector.fromArray(SPECIES, x, xOff + j).mul(av))
                    .intoArray(y, yOff + j);
        }
        if (FOUR_TAIL && j + FOUR.length() <= k) {
            DoubleVector.fromArray(FOUR, y, yOff + j)
                    .add(DoubleVector.fromArray(FOUR, x, xOff + j).mul(a))
                    .intoArray(y, yOff + j);
            j += FOUR.length();
        }
        return j;
    }

    static int addFour(double[] y, int yOff, int k, double[] w, int o1, double a1, int o2, double a2,
                       int o3, double a3, int o4, double a4) {
        int bound = SPECIES.loopBound(k);
        DoubleVector v1 = DoubleVector.broadcast(SPECIES, a1);
        DoubleVector v2 = DoubleVector.broadcast(SPECIES, a2);
        DoubleVector v3 = DoubleVector.broadcast(SPECIES, a3);
        DoubleVector v4 = DoubleVector.broadcast(SPECIES, a4);
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, y, yOff + j)
                    .add(DoubleVector.fromArray(SPECIES, w, o1 + j).mul(v1))
                    .add(DoubleVector.fromArray(SPECIES, w, o2 + j).mul(v2))
                    .add(DoubleVector.fromArray(SPECIES, w, o3 + j).mul(v3))
                    .add(DoubleVector.fromArray(SPECIES, w, o4 + j).mul(v4))
                    .intoArray(y, yOff + j);
        }
        if (FOUR_TAIL && j + FOUR.length() <= k) {
            DoubleVector.fromArray(FOUR, y, yOff + j)
                    .add(DoubleVector.fromArray(FOUR, w, o1 + j).mul(a1))
                    .add(DoubleVector.fromArray(FOUR, w, o2 + j).mul(a2))
                    .add(DoubleVector.fromArray(FOUR, w, o3 + j).mul(a3))
                    .add(DoubleVector.fromArray(FOUR, w, o4 + j).mul(a4))
                    .intoArray(y, yOff + j);
            j += FOUR.length();
        }
        return j;
    }

    static int scatterFour(double[] x, int xOff, int k, double[] w, int o1, double a1, int o2, double a2,
                           int o3, double a3, int o4, double a4) {
        int bound = SPECIES.loopBound(k);
        DoubleVector v1 = DoubleVector.broadcast(SPECIES, a1);
        DoubleVector v2 = DoubleVector.broadcast(SPECIES, a2);
        DoubleVector v3 = DoubleVector.broadcast(SPECIES, a3);
        DoubleVector v4 = DoubleVector.broadcast(SPECIES, a4);
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            DoubleVector d = DoubleVector.fromArray(SPECIES, x, xOff + j);
            DoubleVector.fromArray(SPECIES, w, o1 + j).add(d.mul(v1)).intoArray(w, o1 + j);
            DoubleVector.fromArray(SPECIES, w, o2 + j).add(d.mul(v2)).intoArray(w, o2 + j);
            DoubleVector.fromArray(SPECIES, w, o3 + j).add(d.mul(v3)).intoArray(w, o3 + j);
            DoubleVector.fromArray(SPECIES, w, o4 + j).add(d.mul(v4)).intoArray(w, o4 + j);
        }
        if (FOUR_TAIL && j + FOUR.length() <= k) {
            DoubleVector d = DoubleVector.fromArray(FOUR, x, xOff + j);
            DoubleVector.fromArray(FOUR, w, o1 + j).add(d.mul(a1)).intoArray(w, o1 + j);
            DoubleVector.fromArray(FOUR, w, o2 + j).add(d.mul(a2)).intoArray(w, o2 + j);
            DoubleVector.fromArray(FOUR, w, o3 + j).add(d.mul(a3)).intoArray(w, o3 + j);
            DoubleVector.fromArray(FOUR, w, o4 + j).add(d.mul(a4)).intoArray(w, o4 + j);
            j += FOUR.length();
        }
        return j;
    }
}
