package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;

import java.util.List;

/**
 * A data set in this process, as blocks, summed with the same {@link BlockSums} as the Spark job: the
 * results are bitwise those of a distributed run with the same blocks.
 */
public final class LocalData implements GradientSource {

    private final Mlp model;
    private final List<Block> blocks;

    public LocalData(Mlp model, Batch data, int blockSize) {
        this.model = model;
        this.blocks = Block.split(data, blockSize);
    }

    @Override
    public int blocks() {
        return blocks.size();
    }

    @Override
    public Stats lossAndGradient(double[] params, int[] selected, double[] grad) {
        BlockSums sums = new BlockSums(model, true);
        if (selected == null) {
            blocks.forEach(b -> sums.add(b, params));
        } else {
            for (int i : selected) {
                sums.add(blocks.get(i), params);
            }
        }
        sums.gradient(grad);
        return sums.stats();
    }

    @Override
    public Stats evaluate(double[] params) {
        BlockSums sums = new BlockSums(model, false);
        blocks.forEach(b -> sums.add(b, params));
        return sums.stats();
    }
}
