package io.shardprop.job;

import io.shardprop.core.linalg.BlasChoice;
import io.shardprop.job.cli.AugmentCommand;
import io.shardprop.job.cli.BenchCommand;
import io.shardprop.job.cli.BlasBenchCommand;
import io.shardprop.job.cli.TabularBenchCommand;
import io.shardprop.job.cli.ConfigDefaults;
import io.shardprop.job.cli.EvaluateCommand;
import io.shardprop.job.cli.ExportCommand;
import io.shardprop.job.cli.GradcheckCommand;
import io.shardprop.job.cli.PredictCommand;
import io.shardprop.job.cli.TrainCommand;
import io.shardprop.job.error.Failure;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.BuildInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * {@code io.shardprop.job.Main train|evaluate|predict|export|gradcheck ...}: the entry point for spark-submit.
 * Never sets the master. Returns normally on success (a cluster-mode driver must not call {@code System.exit(0)});
 * exits 2 on a usage or input error, found before any Spark work, and 1 on a runtime failure.
 */
@Command(name = "shardprop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Data-parallel training of hand-written neural networks on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class, GradcheckCommand.class,
            AugmentCommand.class, BenchCommand.class, BlasBenchCommand.class, TabularBenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, print the stack trace as well as the one line.")
    boolean verbose;

    /**
     * A failure's stack trace: conf/log4j2.properties sends this logger to the log file
     * ({@code -Dshardprop.log.file}) and not to the console.
     */
    private static final Logger TRACE = LoggerFactory.getLogger("io.shardprop.trace");
    /** The system property naming the log file that conf/log4j2.properties writes (the scripts set it). */
    static final String LOG_FILE = "shardprop.log.file";
    static final String VERBOSE = "--verbose";

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
        java.util.function.BinaryOperator<String> locate = (m, option) -> config[0] == null ? m
                : config[0].locate(m, option, args);
        cl.setParameterExceptionHandler((e, a) -> {
            String option = e.getArgSpec() instanceof CommandLine.Model.OptionSpec o ? o.longestName() : null;
            err.println(prefix(e.getCommandLine()) + locate.apply(e.getMessage(), option) + " (see --help)");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof UsageException u) {
                err.println(prefix(c) + locate.apply(u.getMessage(), u.option()));
                err.flush();
                return CommandLine.ExitCode.USAGE;
            }
            return report(err, c, e, args);
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
        try {
            return cl.execute(args);
        } catch (Error e) {  // an Error from a command (Hadoop's FSError on a full disk): one line too, not a trace
            CommandLine c = args.length > 0 && cl.getSubcommands().containsKey(args[0]) ? cl.getSubcommands().get(args[0])
                    : cl;
            return report(err, c, e, args);
        }
    }

    /** A runtime failure as one line (its {@link Failure}), the trace to the log; returns the exit code. */
    private static int report(PrintWriter err, CommandLine c, Throwable e, String[] args) {
        Failure f = Failure.of(e);
        TRACE.error("{} failed: {}", c.getCommandName(), f.message(), e);
        String where = System.getProperty(LOG_FILE) == null ? "" : "; stack trace in " + System.getProperty(LOG_FILE);
        boolean hint = !verbose(args) && f.exitCode() == Failure.RUNTIME;
        err.println(prefix(c) + f.message() + (hint ? " (--verbose prints the stack trace" + where + ")" : ""));
        if (verbose(args)) {
            e.printStackTrace(err);
        }
        err.flush();
        return f.exitCode();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "a command is required: train, evaluate, predict, export, gradcheck, augment, bench, blas-bench or tabular-bench");
    }

    private static String prefix(CommandLine c) {
        return c.getCommandSpec().qualifiedName() + ": ";
    }

    /** Whether {@code --verbose} is among the arguments (any command takes it). */
    static boolean verbose(String[] args) {
        return java.util.Arrays.asList(args).contains(VERBOSE);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ShardProp " + BuildInfo.version()};
        }
    }
}
