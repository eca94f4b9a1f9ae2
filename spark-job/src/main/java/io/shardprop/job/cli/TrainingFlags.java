package io.shardprop.job.cli;

import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainOption;
import io.shardprop.job.config.TrainOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Map;

/**
 * {@code train}'s flags for the training options: one {@code --name} per {@link TrainOptions declaration}, added
 * to the command's model when picocli builds it, so {@code --help}, {@code --config} keys and {@code docs/cli.md}
 * list them with their declared label, doc and default.
 */
final class TrainingFlags implements CommandLine.IModelTransformer {

    /** The command's own options that the help lists after the training options: where the run goes. */
    private static final java.util.Set<String> LAST = java.util.Set.of("--out", "--overwrite", "--resume", "--config",
            "--help", "--version", "--verbose");

    @Override
    public CommandSpec transform(CommandSpec spec) {
        List<OptionSpec> last = spec.options().stream().filter(o -> LAST.contains(o.longestName())).toList();
        last.forEach(spec::remove);
        for (TrainOption<?> o : TrainOptions.ALL) {
            spec.addOption(flag(o));
        }
        last.forEach(spec::addOption);
        return spec;
    }

    /** The values the command line (and its {@code --config} file) gave, unchecked. */
    static OptionValues values(CommandSpec spec) {
        return OptionValues.from(o -> spec.findOption(o.flag()).getValue());
    }

    /**
     * Another command's flags for some training options, each with that command's default (bench times
     * {@code --epochs 10} of blocks of 2000 rows): the declarations still give name, label, type, doc and range.
     */
    static CommandSpec add(CommandSpec spec, Map<TrainOption<?>, Object> defaults) {
        defaults.forEach((o, d) -> spec.addOption(flag(o, d)));
        return spec;
    }

    /** The value {@code spec}'s flag for {@code option} holds. */
    static <T> T value(CommandSpec spec, TrainOption<T> option) {
        return option.type().cast(spec.findOption(option.flag()).getValue());
    }

    @SuppressWarnings("unchecked")
    private static <T> String show(TrainOption<T> o, Object value) {
        return o.type().show((T) value);
    }

    private static OptionSpec flag(TrainOption<?> o) {
        return flag(o, o.defaultValue());
    }

    private static OptionSpec flag(TrainOption<?> o, Object defaultValue) {
        boolean hasDefault = defaultValue != null;
        String doc = o.doc().endsWith(".") ? o.doc().substring(0, o.doc().length() - 1) : o.doc();
        String range = o.range().isEmpty() ? "" : o.range() + "; ";
        OptionSpec.Builder b = OptionSpec.builder(o.flag()).paramLabel(o.label()).type(o.type().type())
                .description(doc + (hasDefault ? " (" + range + "default: ${DEFAULT-VALUE})." : range.isEmpty() ? "."
                        : " (" + o.range() + ")."));
        if (hasDefault) {
            b.defaultValue(show(o, defaultValue));
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
