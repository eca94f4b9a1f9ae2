package io.shardprop.job;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * {@code docs/cli.md}: the command-line reference, rendered from the picocli model of {@link Main} (run by
 * {@code scripts/docs.sh}; {@code CliReferenceTest} fails when the file is stale). It reads only the model
 * ({@link CommandSpec#options()}, {@link OptionSpec}), never annotated fields, so options added
 * programmatically appear as well. The output is deterministic: no dates, no paths, defaults as picocli
 * reports them, commands and options in the model's order. It lives beside {@code Main} (the only layer that
 * may know {@code Main}).
 */
public final class CliReference {

    /** The command that regenerates the file, named in its header. */
    static final String COMMAND = "scripts/docs.sh";
    /** Width of the synopsis lines (fixed: picocli would otherwise take it from the environment). */
    private static final int WIDTH = 100;

    private CliReference() {
    }

    /** {@code CliReference [FILE]}: writes the reference to FILE (atomically), or prints it. */
    public static void main(String[] args) throws IOException {
        String text = render();
        if (args.length == 0) {
            System.out.print(text);
            return;
        }
        Path file = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The markdown reference of every command of {@code new CommandLine(new Main())}. */
    public static String render() {
        return render(new CommandLine(new Main()));
    }

    /** The markdown reference of every command of {@code root}, from its model alone. */
    static String render(CommandLine root) {
        StringBuilder md = new StringBuilder();
        md.append("# Command-line reference\n\n")
                .append("<!-- Generated from the picocli model by ").append(COMMAND)
                .append(" (io.shardprop.job.CliReference); do not edit: CliReferenceTest fails when it is stale. -->\n\n")
                .append("Every command runs as `io.shardprop.job.Main COMMAND [options]` (`spark-submit --class "
                        + "io.shardprop.job.Main shardprop-job.jar COMMAND …`, or `scripts/run.sh COMMAND …` on this "
                        + "machine; `scripts/train.sh` adds train's defaults). `COMMAND --help` prints the same.\n\n");
        md.append("Commands:");
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().usageMessage().hidden()) {
                md.append(' ').append('[').append('`').append(sub.getKey()).append('`').append("](#")
                        .append(sub.getKey()).append(')');
            }
        }
        md.append(".\n\n");
        command(md, root, 2);
        return md.toString();
    }

    private static void command(StringBuilder md, CommandLine cl, int level) {
        CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().width(WIDTH);
        md.append("#".repeat(level)).append(' ').append(spec.name()).append("\n\n");
        paragraph(md, spec.usageMessage().header());
        paragraph(md, spec.usageMessage().description());
        md.append("```text\n").append(stripTrailing(new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(
                CommandLine.Help.Ansi.OFF)).synopsis(0))).append("```\n\n");
        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            md.append("| parameter | default | description |\n|---|---|---|\n");
            for (PositionalParamSpec p : positionals) {
                md.append("| `").append(cell(p.paramLabel())).append("` | ").append(defaultOf(p)).append(" | ")
                        .append(cell(String.join(" ", p.renderedDescription()))).append(" |\n");
            }
            md.append('\n');
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            md.append("| option | default | description |\n|---|---|---|\n");
            for (OptionSpec o : options) {
                md.append("| ").append(names(o)).append(" | ").append(defaultOf(o)).append(" | ")
                        .append(cell(String.join(" ", o.renderedDescription()).strip())).append(" |\n");
            }
            md.append('\n');
        }
        paragraph(md, spec.usageMessage().footer());
        int subLevel = cl.getParent() == null ? level : level + 1;  // the commands are sections of their own
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                command(md, sub, subLevel);
            }
        }
    }

    /** {@code `--a`, `-b` `LABEL`} */
    private static String names(OptionSpec o) {
        StringBuilder s = new StringBuilder();
        for (String name : o.names()) {
            s.append(s.length() == 0 ? "" : ", ").append('`').append(name).append('`');
        }
        if (o.typeInfo().isBoolean() && !"0..1".equals(o.arity().toString())) {
            return s.toString();
        }
        String label = o.paramLabel();
        if (o.arity().max() == 0 || label == null || label.isEmpty()) {
            return s.toString();
        }
        String shown = o.arity().min() == 0 ? "[" + label + "]" : label;
        return s + " `" + cell(shown) + "`";
    }

    private static String defaultOf(ArgSpec a) {
        if (a.required()) {
            return "required";
        }
        String d = a.defaultValueString();
        if (d == null || d.equals("null") || d.isEmpty()) {
            return "—";
        }
        return "`" + cell(d) + "`";
    }

    private static void paragraph(StringBuilder md, String[] lines) {
        String text = format(String.join("\n", lines)).strip();
        if (!text.isEmpty()) {
            md.append(text).append("\n\n");
        }
    }

    private static String stripTrailing(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            out.append(line.stripTrailing()).append('\n');
        }
        return out.toString().strip() + "\n";
    }

    /** Text safe in a markdown table cell: no pipes, no line breaks. */
    private static String cell(String s) {
        return format(s).replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }

    /** Picocli's usage text is a format string: {@code %n} is a line break, {@code %%} a percent sign. */
    private static String format(String s) {
        return s.replace("%n", "\n").replace("%%", "%");
    }
}
