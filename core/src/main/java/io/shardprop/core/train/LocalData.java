package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.function.Supplier;

/**
 * A data set in this process, as blocks, summed with the same {@link BlockSums} as the Spark job: the
 * results are bitwise those of a distributed run with the same blocks.
 *
 * <p>Blocks are spread over one worker thread per core, each with one BLAS thread, as Spark spreads them
 * over tasks: the element-wise layers run in parallel too, and the products are the same single-threaded
 * BLAS calls as on an executor (a multi-threaded BLAS may split a product differently and change its last
 * bits). The sums are exact, so the grouping does not change the result.
 */
public final class LocalData implements GradientSource {

    private final Mlp model;
    private final List<Block> blocks;
    private int keepMistakes;
    /** One worker per core, shared by every data set of this process (the training and the test set). */
    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    public LocalData(Mlp model, Batch data, int blockSize) {
        this.model = model;
        this.blocks = Block.split(data, blockSize);
    }

    /**
     * The blocks {@code blocks} (e.g. a small set's cached blocks, collected from Spark), in any order: they are kept
     * by their index, so the sums and steps are those of the same blocks anywhere else.
     *
     * @throws IllegalArgumentException unless the indices are {@code 0 … n−1}
     */
    public LocalData(Mlp model, List<Block> blocks) {
        this.model = model;
        List<Block> sorted = new ArrayList<>(blocks);
        sorted.sort(java.util.Comparator.comparingInt(Block::index));
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).index() != i) {
                throw new IllegalArgumentException("blocks 0 .. " + (sorted.size() - 1) + " expected, block " + i
                        + " is " + sorted.get(i).index());
            }
        }
        this.blocks = List.copyOf(sorted);
    }

    @Override
    public int blocks() {
        return blocks.size();
    }

    @Override
    public Stats lossAndGradient(double[] params, int[] selected, Deformation deformation, long deformSeed, double[] grad) {
        GradientSums sums = sum(params, selected, () -> new GradientSums(model, deformation, deformSeed));
        sums.gradient(grad);
        return sums.stats();
    }

    @Override
    public EvaluationSums evaluation(double[] params) {
        return sum(params, null, () -> new EvaluationSums(model, keepMistakes));
    }

    /** Evaluations keep the {@code n} worst mistakes (0 by default, see {@link EvaluationSums}); returns this. */
    public LocalData keepMistakes(int n) {
        this.keepMistakes = EvaluationSums.checkedKeep(n);
        return this;
    }

    /**
     * Replicas in the shared pool's threads, as Spark's tasks run them: one group of replicas a worker, one after the
     * other into the group's sums (each replica with its own buffers); the groups' sums merge exactly, so in any order.
     */
    @Override
    public RoundSums localSteps(double[] params, double[] innerState, LocalSteps plan) {
        List<Callable<RoundSums>> tasks = new ArrayList<>();
        int groups = Math.min(plan.replicas(), POOL.getParallelism());
        for (int g = 0; g < groups; g++) {
            int group = g;
            tasks.add(() -> {
                RoundSums sums = new RoundSums();
                for (int r = group; r < plan.replicas(); r += groups) {
                    plan.run(model, r, blocks::get, params, innerState, sums);
                }
                return sums;
            });
        }
        RoundSums total = new RoundSums();
        for (Future<RoundSums> f : POOL.invokeAll(tasks)) {
            try {
                total.merge(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return total;
    }

    private <S extends BlockSums<S>> S sum(double[] params, int[] selected, Supplier<S> zero) {
        List<Block> chosen = new ArrayList<>();
        if (selected == null) {
            chosen.addAll(blocks);
        } else {
            for (int i : selected) {
                chosen.add(blocks.get(i));
            }
        }
        int leaf = Math.max(1, chosen.size() / (2 * POOL.getParallelism()));
        return POOL.invoke(new Sum<>(chosen, 0, chosen.size(), leaf, params, zero));
    }

    /** Sums blocks {@code [from, to)}: halves down to {@code leaf} blocks, then merges the halves exactly. */
    private static final class Sum<S extends BlockSums<S>> extends RecursiveTask<S> {
        private final List<Block> chosen;
        private final int from;
        private final int to;
        private final int leaf;
        private final double[] params;
        private final Supplier<S> zero;

        Sum(List<Block> chosen, int from, int to, int leaf, double[] params, Supplier<S> zero) {
            this.chosen = chosen;
            this.from = from;
            this.to = to;
            this.leaf = leaf;
            this.params = params;
            this.zero = zero;
        }

        @Override
        protected S compute() {
            if (to - from <= leaf) {
                S s = zero.get();
                for (int i = from; i < to; i++) {
                    s.add(chosen.get(i), params);
                }
                return s;
            }
            int mid = (from + to) >>> 1;
            Sum<S> left = new Sum<>(chosen, from, mid, leaf, params, zero);
            left.fork();
            S right = new Sum<>(chosen, mid, to, leaf, params, zero).compute();
            return left.join().merge(right);
        }
    }
}
