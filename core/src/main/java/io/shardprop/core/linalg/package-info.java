/**
 * Row-major matrix views over flat arrays (float64 {@code Mat}, float32 {@code FMat} for
 * {@code --precision float32}) and the single gateway to netlib BLAS, with the choice of the native library
 * ({@code -Dshardprop.blas} / {@code SHARDPROP_BLAS}: auto, the bundled OpenBLAS, the system's, or pure Java), its
 * loading, and what loaded.
 */
package io.shardprop.core.linalg;
