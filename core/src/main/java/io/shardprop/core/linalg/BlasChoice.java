package io.shardprop.core.linalg;

import java.util.Locale;

/**
 * Which BLAS a JVM uses, from the system property {@value #PROPERTY} or else the environment variable
 * {@value #ENV} (executors: {@code spark.executor.extraJavaOptions=-Dshardprop.blas=…} or
 * {@code spark.executorEnv.SHARDPROP_BLAS=…}).
 */
public enum BlasChoice {
    /**
     * The OpenBLAS this project ships (Maven {@code org.bytedeco:openblas}), which knows current CPUs; the
     * system's {@code libblas.so.3} when none is shipped for this platform; pure Java when neither loads.
     * The default: measured here, a system OpenBLAS older than the CPU ran its generic kernel 3.5x slower.
     */
    BUNDLED,
    /**
     * netlib's own choice: the library named by {@code -Ddev.ludovic.netlib.blas.nativeLibPath} or
     * {@code nativeLib}, else {@code libblas.so.3} (Debian's alternatives: OpenBLAS, BLIS, MKL, reference).
     */
    SYSTEM,
    /** netlib's pure-Java BLAS (VectorBLAS on Java 16+), native libraries not tried. */
    JAVA;

    public static final String PROPERTY = "shardprop.blas";
    public static final String ENV = "SHARDPROP_BLAS";

    /** The configured choice; {@link #BUNDLED} when neither the property nor the variable is set. */
    public static BlasChoice configured() {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            return parse(value, "-D" + PROPERTY);
        }
        value = System.getenv(ENV);
        return value == null || value.isBlank() ? BUNDLED : parse(value, ENV);
    }

    /** @throws IllegalArgumentException naming {@code source} and the accepted values. */
    public static BlasChoice parse(String value, String source) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + "=" + value + " is not a BLAS choice: use bundled, system or java");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
