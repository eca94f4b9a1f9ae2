/** Central finite-difference checks of every layer's backward pass and of the whole model. */
package io.shardprop.core.check;
