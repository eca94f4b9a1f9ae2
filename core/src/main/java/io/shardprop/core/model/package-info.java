/** The seed notebook's MLP over one flat parameter vector, its activations trace, and initialisation. */
package io.shardprop.core.model;
