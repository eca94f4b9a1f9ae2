/**
 * The MLP over one flat parameter vector: its layout (any hidden layers, with or without bias vectors), its
 * loss (the notebook's seed loss or cross-entropy), the activations trace of a forward pass, the loss and
 * accuracy sums, and initialisation drawn from numpy's {@code RandomState}. With
 * {@code Layout.mnist(int)} and the seed loss it is exactly the seed notebook's model.
 */
package io.shardprop.core.model;
