/**
 * Array files: NumPy's .npy format for float64 arrays ({@link io.shardprop.core.io.Npy},
 * {@link io.shardprop.core.io.NpyArray}), used to exchange weights with Python.
 * Readers take {@link java.io.InputStream}s and throw
 * {@link io.shardprop.core.data.MalformedFileException} for bad content.
 */
package io.shardprop.core.io;
