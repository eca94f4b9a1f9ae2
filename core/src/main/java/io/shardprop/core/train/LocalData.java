package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;

import java.util.Arrays;
import java.util.List;

/** A data set in this process, as blocks, summed block by block in index order. */
public final class LocalData implements GradientSource {

    private final Mlp model;
    private final List<Block> blocks;
    private final Trace trace;

    public LocalData(Mlp model, Batch data, int blockSize) {
        this.model = model;
        this.blocks = Block.split(data, blockSize);
        this.trace = Trace.allocate(model.layout(), Math.min(blockSize, Math.max(1, data.size())));
    }

    @Override
    public int blocks() {
        return blocks.size();
    }

    @Override
    public Stats lossAndGradient(double[] params, int[] selected, double[] grad) {
        Arrays.fill(grad, 0.0);
        Stats sum = Stats.ZERO;
        for (Block b : selected == null ? blocks : Arrays.stream(selected).sorted().mapToObj(blocks::get).toList()) {
            sum = sum.plus(model.lossAndGradient(params, b.data().x(), b.data().labels(), trace, grad));
        }
        return sum;
    }

    @Override
    public Stats evaluate(double[] params) {
        Stats sum = Stats.ZERO;
        for (Block b : blocks) {
            sum = sum.plus(model.evaluate(params, b.data().x(), b.data().labels(), trace));
        }
        return sum;
    }
}
