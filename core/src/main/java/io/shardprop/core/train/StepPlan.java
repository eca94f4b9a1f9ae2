package io.shardprop.core.train;

import io.shardprop.core.data.Deformation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which blocks each step of an epoch sums, a rule of the seed, the epoch and the block count alone: a seeded
 * shuffle of the block indices cut into groups of {@code blocksPerStep} (0: one step over all blocks), and,
 * for local steps, each replica's own shuffle of its blocks. Also the seed of an epoch's image deformations.
 *
 * @param blocksPerStep blocks per step (across all replicas); 0 for full-batch
 * @param seed          seeds the shuffles and the deformations
 */
record StepPlan(int blocksPerStep, long seed) {

    /**
     * The steps of an epoch: {@code {null}} (all blocks) for full-batch training; otherwise a shuffle of
     * the block indices, seeded by {@code (seed, epoch)} only, cut into groups of {@code blocksPerStep}
     * (the last group may be smaller).
     */
    int[][] steps(int blocks, int epoch) {
        if (blocksPerStep == 0 || blocksPerStep >= blocks) {
            return blocksPerStep == 0 ? new int[][]{null} : new int[][]{shuffled(blocks, epoch)};
        }
        int[] order = shuffled(blocks, epoch);
        int[][] steps = new int[(blocks + blocksPerStep - 1) / blocksPerStep][];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = Arrays.copyOfRange(order, s * blocksPerStep, Math.min(blocks, (s + 1) * blocksPerStep));
        }
        return steps;
    }

    /**
     * Every replica's steps of an epoch: its blocks ({@code b mod R = r}) shuffled by {@code (seed, epoch, r)}
     * and cut into groups of {@code blocksPerStep / R} (the last may be smaller). For one replica the order
     * and groups are those of {@link #steps} with {@code blocksPerStep}.
     */
    int[][][] replicaSteps(int blocks, int epoch, int replicas) {
        int perStep = blocksPerStep / replicas;
        int[][][] plan = new int[replicas][][];
        for (int r = 0; r < replicas; r++) {
            int n = Math.max(0, (blocks - r + replicas - 1) / replicas);  // blocks r, r + R, r + 2R, ...
            int[] order = shuffled(n, seed * 0x9E3779B97F4A7C15L + epoch + r * 0xC2B2AE3D27D4EB4FL);
            for (int i = 0; i < n; i++) {
                order[i] = r + order[i] * replicas;  // position in the shard → block index
            }
            int[][] steps = new int[(n + perStep - 1) / perStep][];
            for (int s = 0; s < steps.length; s++) {
                steps[s] = Arrays.copyOfRange(order, s * perStep, Math.min(n, (s + 1) * perStep));
            }
            plan[r] = steps;
        }
        return plan;
    }

    /** The seed of epoch {@code epoch}'s deformations (each sample's from it: {@link Deformation#sampleSeed}). */
    long deformSeed(int epoch) {
        return Deformation.epochSeed(seed, epoch);
    }

    private int[] shuffled(int n, int epoch) {
        return shuffled(n, seed * 0x9E3779B97F4A7C15L + epoch);
    }

    private static int[] shuffled(int n, long mix) {
        SplittableRandom rnd = new SplittableRandom(mix);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
