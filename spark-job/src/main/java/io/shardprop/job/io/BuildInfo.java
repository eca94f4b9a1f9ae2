package io.shardprop.job.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What this build is, from {@code shardprop-version.properties} (written by Maven's resource filtering). */
public final class BuildInfo {

    private BuildInfo() {
    }

    /** This build's version, or {@code unknown}. */
    public static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/shardprop-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
