package io.shardprop.core.linalg;

import java.util.Locale;

/**
 * Which BLAS a JVM uses, from the system property {@value #PROPERTY} or else the environment variable
 * {@value #ENV} (executors: {@code spark.executor.extraJavaOptions=-Dshardprop.blas=…} or
 * {@code spark.executorEnv.SHARDPROP_BLAS=…}).
 */
public enum BlasChoice {
    /**
     * The default: the system's {@code libblas.so.3} when it is an OpenBLAS that knows this CPU (its kernel is
     * not a generic fallback), else {@link #BUNDLED}. Measured (README, Native BLAS): a system OpenBLAS that
     * knows the CPU was as fast as the bundled one or faster (Debian's 0.3.21 on an AMD EPYC: 0.89× the
     * bundled epoch); one that does not know it ran its generic Prescott kernel, 3.5× slower.
     */
    AUTO,
    /**
     * The OpenBLAS this project ships (Maven {@code org.bytedeco:openblas}), which knows current CPUs; the
     * system's {@code libblas.so.3} when none is shipped for this platform; pure Java when neither loads.
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

    /** The configured choice; {@link #AUTO} when neither the property nor the variable is set. */
    public static BlasChoice configured() {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            return parse(value, "-D" + PROPERTY);
        }
        value = System.getenv(ENV);
        return value == null || value.isBlank() ? AUTO : parse(value, ENV);
    }

    /** @throws IllegalArgumentException naming {@code source} and the accepted values. */
    public static BlasChoice parse(String value, String source) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + "=" + value + " is not a BLAS choice: use auto, bundled, system or java");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
