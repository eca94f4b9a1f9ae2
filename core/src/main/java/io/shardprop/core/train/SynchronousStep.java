package io.shardprop.core.train;

import io.shardprop.core.data.Deformation;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Stats;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;

/**
 * The synchronous step: the gradient summed over a step's blocks ({@link StepPlan#steps}), scaled by the
 * loss's reduction, and one update of the optimizer at the schedule's learning rate.
 */
record SynchronousStep(Loss loss, LrSchedule schedule, StepPlan plan, Deformation deformation) implements StepStrategy {

    @Override
    public Epoch epoch(int blocks, int epoch) {
        int[][] steps = plan.steps(blocks, epoch);
        long deformSeed = plan.deformSeed(epoch);
        return new Epoch() {
            @Override
            public int updates() {
                return steps.length;
            }

            @Override
            public String name(int s) {
                return steps.length > 1 ? " step " + (s + 1) + "/" + steps.length : "";
            }

            @Override
            public Stats sum(int s, double[] params, Optimizer optimizer, GradientSource source, double[] grad) {
                return source.lossAndGradient(params, steps[s], deformation, deformSeed, grad);
            }

            @Override
            public void apply(int s, Stats sums, double[] params, double[] grad, Optimizer optimizer) {
                double scale = loss.gradientScale(sums.weight());
                for (int i = 0; i < grad.length; i++) {
                    grad[i] *= scale;
                }
                optimizer.step(params, grad, schedule.at(epoch, s, steps.length));
            }
        };
    }

    @Override
    public String sumIs() {
        return "the gradient is";
    }
}
