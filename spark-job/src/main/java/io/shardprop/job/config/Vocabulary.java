package io.shardprop.job.config;

/** How a surface names an option to its users: a flag on the command line, a Param's name in Spark ML. */
@FunctionalInterface
public interface Vocabulary {

    /** The command line's: {@code --weight-decay}. */
    Vocabulary FLAGS = TrainOption::flag;
    /** Spark ML's: {@code param weightDecay}. */
    Vocabulary PARAMS = o -> "param " + o.param();

    /** {@code option} as this surface's users write it. */
    String name(TrainOption<?> option);
}
