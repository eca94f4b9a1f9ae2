package io.shardprop.job.cli;

import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --config FILE}: a properties file whose keys are a command's long option names without the
 * dashes ({@code epochs=50}); it supplies defaults and flags on the command line win. Read through Hadoop
 * {@code FileSystem}, so it may live on HDFS or S3 too. Unknown keys are errors, not silently ignored.
 *
 * <p>One exception to "every path is a Hadoop URI": a relative name without a scheme that is a file in the
 * working directory is read from there. That is where YARN puts the files of {@code spark-submit --files}
 * in the driver's container (cluster mode), while the default file system (HDFS) would look for the name
 * under the user's HDFS home.
 */
public final class ConfigDefaults {

    private ConfigDefaults() {
    }

    /** The value of {@code --config} in {@code args}, or null. */
    public static String find(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--config=")) {
                return args[i].substring("--config=".length());
            }
        }
        return null;
    }

    /** The file at {@code uri}, read and checked against {@code command}'s options. */
    public static Loaded of(String uri, CommandLine command) {
        return new Loaded(inWorkingDirectory(uri), load(HadoopFs.beforeSpark(), uri, command));
    }

    /**
     * A config file read: its URI and its values.
     *
     * @param uri   where it was read from
     * @param props its keys and values
     */
    public record Loaded(String uri, Properties props) {

        /** A default-value provider for the command it was read for. */
        public CommandLine.IDefaultValueProvider provider() {
            return new CommandLine.PropertiesDefaultProvider(props);
        }

        /**
         * {@code message} about {@code option} (a flag, or null), prefixed with this file and the key when the
         * option's value came from here: the key is in the file and the flag not in {@code args}.
         */
        public String locate(String message, String option, String[] args) {
            if (option == null || !option.startsWith("--")) {
                return message;
            }
            String key = option.substring(2);
            boolean onCommandLine = java.util.Arrays.stream(args)
                    .anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
            if (onCommandLine || !props.containsKey(key)) {
                return message;
            }
            return uri + ": " + key + "=" + props.getProperty(key) + ": " + message;
        }
    }

    static Properties load(HadoopFs fs, String given, CommandLine command) {
        String uri = inWorkingDirectory(given);
        Properties props = new Properties();
        try {
            if (!fs.isFile(uri)) {
                throw new UsageException("--config: " + uri + " does not exist or is not a file");
            }
            try (InputStream in = fs.open(uri)) {
                props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--config: " + uri + ": cannot read: " + e.getMessage());
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : command.getCommandSpec().options()) {
            known.add(o.longestName().replaceFirst("^-+", ""));
        }
        known.removeAll(Set.of("config", "help", "version"));
        for (String key : props.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new UsageException("--config: " + uri + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return props;
    }

    /** {@code name} as a {@code file:} URI if it is relative, has no scheme and is a file here; else as given. */
    static String inWorkingDirectory(String name) {
        try {
            URI u = new URI(name);
            if (u.getScheme() == null && !name.startsWith("/")) {
                java.nio.file.Path local = java.nio.file.Path.of(name);
                if (Files.isRegularFile(local)) {
                    return local.toAbsolutePath().normalize().toUri().toString();
                }
            }
        } catch (URISyntaxException | InvalidPathException e) {
            // not a plain relative name: leave it to Hadoop
        }
        return name;
    }
}
