package io.shardprop.job;

import io.shardprop.core.linalg.BlasChoice;
import io.shardprop.job.cli.BenchCommand;
import io.shardprop.job.cli.BlasBenchCommand;
import io.shardprop.job.cli.ConfigDefaults;
import io.shardprop.job.cli.EvaluateCommand;
import io.shardprop.job.cli.GradcheckCommand;
import io.shardprop.job.cli.PredictCommand;
import io.shardprop.job.cli.TrainCommand;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.BlasLog;
import io.shardprop.job.io.BuildInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * {@code io.shardprop.job.Main train|evaluate|predict|gradcheck ...}: the entry point for spark-submit.
 * Never sets the master. Returns normally on success (a cluster-mode driver must not call {@code System.exit(0)});
 * exits 2 on a usage or input error, found before any Spark work, and 1 on a runtime failure.
 */
@Command(name = "shardprop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Data-parallel training of hand-written neural networks on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, GradcheckCommand.class,
            BenchCommand.class, BlasBenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, with messages for the user going to {@code err}. */
    public static int run(PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(err);
        ConfigDefaults.Loaded[] config = new ConfigDefaults.Loaded[1];  // set below once the file is read
        java.util.function.UnaryOperator<String> locate = m -> config[0] == null ? m : config[0].locate(m, args);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println(prefix(e.getCommandLine()) + locate.apply(e.getMessage()) + " (see --help)");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof UsageException) {
                err.println(prefix(c) + locate.apply(e.getMessage()));
                err.flush();
                return CommandLine.ExitCode.USAGE;
            }
            LOG.error("{} failed", c.getCommandName(), e);
            err.println(prefix(c) + "failed: " + describe(e));
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help")) {
            try {
                BlasChoice.configured();  // a bad SHARDPROP_BLAS is a usage error, found before anything loads
            } catch (IllegalArgumentException e) {
                err.println("shardprop: " + e.getMessage());
                err.flush();
                return CommandLine.ExitCode.USAGE;
            }
        }
        String configUri = ConfigDefaults.find(args);
        if (configUri != null && args.length > 0 && args[0].equals("train")) {
            CommandLine train = cl.getSubcommands().get("train");
            try {
                config[0] = ConfigDefaults.of(configUri, train);
                train.setDefaultValueProvider(config[0].provider());
            } catch (UsageException e) {
                err.println(prefix(train) + e.getMessage());
                err.flush();
                return CommandLine.ExitCode.USAGE;
            }
        }
        cl.setExecutionStrategy(parsed -> {
            boolean help = parsed.asCommandLineList().stream()
                    .anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
            if (!help && parsed.hasSubcommand() && !parsed.subcommand().commandSpec().name().equals("help")) {
                BlasLog.driver();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "a command is required: train, evaluate, predict or gradcheck");
    }

    private static String prefix(CommandLine c) {
        return c.getCommandSpec().qualifiedName() + ": ";
    }

    /** The exception's first line, and its root cause's when that says something else. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = firstLine(e);
        String bottom = firstLine(root);
        return root == e || top.contains(bottom) ? top : top + " (cause: " + bottom + ")";
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().strip();
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ShardProp " + BuildInfo.version()};
        }
    }
}
