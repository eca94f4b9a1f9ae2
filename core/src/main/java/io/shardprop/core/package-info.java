/**
 * ShardProp core: the seed notebook's hand-written layers and MLP in Java, with no Spark runtime.
 * Matrices are row-major views of flat {@code double[]} arrays ({@link io.shardprop.core.linalg.Mat}),
 * so that shapes, formulas and {@code .npy} files read exactly as in numpy.
 */
package io.shardprop.core;
