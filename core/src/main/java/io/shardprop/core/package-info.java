/**
 * ShardProp core, with no Spark runtime: the hand-written layers and MLP of the seed notebook and of the
 * other recipes, their optimizers, the trainer's epoch loop, exact order-independent sums, and the readers of
 * MNIST's IDX and NumPy's .npy files. Matrices are row-major views of flat arrays
 * ({@link io.shardprop.core.linalg.Mat}, float64; {@link io.shardprop.core.linalg.FMat}, float32), so that
 * shapes, formulas and {@code .npy} files read exactly as in numpy.
 */
package io.shardprop.core;
