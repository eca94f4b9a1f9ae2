package io.shardprop.core.model;

import io.shardprop.core.layer.Gelu;
import io.shardprop.core.layer.LeakyRelu;
import io.shardprop.core.layer.Relu;
import io.shardprop.core.layer.Sigmoid;
import io.shardprop.core.layer.Tanh;
import io.shardprop.core.linalg.Mat;

import java.util.Locale;

/**
 * The hidden layers' activation, one of the hand-written layers: {@code relu} (the notebook's), {@code leaky-relu},
 * {@code tanh}, {@code sigmoid} (MLlib's {@code MultilayerPerceptronClassifier}'s only one) or {@code gelu} (tanh
 * form). Each backward reads what its layer needs: the pre-activation {@code h} or the output {@code a}.
 */
public enum Activation {
    RELU {
        @Override
        public void forward(Mat h, Mat a) {
            Relu.forward(h, a);
        }

        @Override
        public void backward(Mat h, Mat a, Mat da, Mat dh) {
            Relu.backward(h, da, dh);
        }
    },
    LEAKY_RELU {
        @Override
        public void forward(Mat h, Mat a) {
            LeakyRelu.forward(h, a);
        }

        @Override
        public void backward(Mat h, Mat a, Mat da, Mat dh) {
            LeakyRelu.backward(h, da, dh);
        }
    },
    TANH {
        @Override
        public void forward(Mat h, Mat a) {
            Tanh.forward(h, a);
        }

        @Override
        public void backward(Mat h, Mat a, Mat da, Mat dh) {
            Tanh.backward(a, da, dh);
        }
    },
    SIGMOID {
        @Override
        public void forward(Mat h, Mat a) {
            Sigmoid.forward(h, a);
        }

        @Override
        public void backward(Mat h, Mat a, Mat da, Mat dh) {
            Sigmoid.backward(a, da, dh);
        }
    },
    GELU {
        @Override
        public void forward(Mat h, Mat a) {
            Gelu.forward(h, a);
        }

        @Override
        public void backward(Mat h, Mat a, Mat da, Mat dh) {
            Gelu.backward(h, da, dh);
        }
    };

    /** {@code a = f(h)}; {@code a} modified. */
    public abstract void forward(Mat h, Mat a);

    /**
     * {@code dh = da ⊙ f'(h)}, from forward's input {@code h} and output {@code a}; {@code dh} modified (may be
     * {@code da}).
     */
    public abstract void backward(Mat h, Mat a, Mat da, Mat dh);

    /** The command-line name: {@code relu}, {@code leaky-relu}, {@code tanh}, {@code sigmoid}, {@code gelu}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The activation named {@code id} ({@link #id()}), or null. */
    public static Activation of(String id) {
        for (Activation a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        return null;
    }
}
