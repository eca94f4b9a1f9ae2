/** Row-major matrix views over flat arrays and the single gateway to netlib BLAS. */
package io.shardprop.core.linalg;
