package io.shardprop.job.cli;

import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainOption;
import io.shardprop.job.config.TrainOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code train}'s flags for the training options: one {@code --name} per {@link TrainOptions declaration}, added
 * to the command's model when picocli builds it, so {@code --help}, {@code --config} keys and {@code docs/cli.md}
 * list them with their declared label, doc and default.
 */
final class TrainingFlags implements CommandLine.IModelTransformer {

    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (TrainOption<?> o : TrainOptions.ALL) {
            spec.addOption(flag(o));
        }
        return spec;
    }

    /** The values the command line (and its {@code --config} file) gave, unchecked. */
    static OptionValues values(CommandSpec spec) {
        return OptionValues.from(o -> spec.findOption(o.flag()).getValue());
    }

    private static OptionSpec flag(TrainOption<?> o) {
        boolean hasDefault = o.defaultValue() != null;
        OptionSpec.Builder b = OptionSpec.builder(o.flag()).paramLabel(o.label()).type(o.type().type())
                .description(o.doc() + (hasDefault ? " (default: ${DEFAULT-VALUE})" : ""));
        if (hasDefault) {
            b.defaultValue(o.type().formatAny(o.defaultValue()));
        }
        if (o.type().type() == int[].class) {
            b.auxiliaryTypes(int.class).splitRegex(",");
        } else if (o.type().type() == Boolean.class) {
            b.arity("0..1");
        } else if (o.type().isChoice()) {
            b.converters(value -> {
                try {
                    return o.type().parse(value);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException(e.getMessage());
                }
            });
        }
        return b.build();
    }
}
