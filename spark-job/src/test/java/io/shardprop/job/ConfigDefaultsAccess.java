package io.shardprop.job;

import io.shardprop.job.io.HadoopFs;
import picocli.CommandLine;

import java.util.Properties;

/** Test access to the package-private {@link ConfigDefaults}. */
public final class ConfigDefaultsAccess {
    private ConfigDefaultsAccess() {
    }

    public static Properties load(String uri, CommandLine command) {
        return ConfigDefaults.load(HadoopFs.beforeSpark(), uri, command);
    }
}
