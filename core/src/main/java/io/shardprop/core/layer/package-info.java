/**
 * The hand-written layers, each stateless with its backward next to its forward: the notebook's
 * ({@code Matmul}, {@code Relu}, {@code Softmax}, {@code Log}) and those of the other recipes ({@code Bias},
 * the fused {@code SoftmaxCrossEntropy}).
 *
 * <p>Conventions shared by every layer: samples are rows ({@code x} is {@code [n x d]}, as in numpy);
 * {@code dy} is the upstream gradient ∂L/∂y, {@code dx} the gradient passed down, {@code dW} a
 * parameter gradient. Outputs are written into caller-owned matrices so buffers can be reused per block;
 * parameter gradients are <em>added</em> into ({@code +=}), so a batch can be accumulated block by block.
 * Element-wise layers allow {@code dx} to be the same matrix as {@code dy} (in place).
 */
package io.shardprop.core.layer;
