package io.shardprop.core.linalg;

import java.io.Serializable;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What BLAS a JVM runs, for the start-up log line, {@code model.json} and the benchmark.
 *
 * @param choice         what was asked for ({@code -Dshardprop.blas} / {@code SHARDPROP_BLAS})
 * @param implementation netlib's class, e.g. {@code dev.ludovic.netlib.blas.JNIBLAS} or {@code …VectorBLAS}
 * @param source         {@code bundled}, {@code system} or {@code java}
 * @param library        the native library's file, or null (pure Java, or not found)
 * @param config         {@code openblas_get_config()}, or null when the library is not OpenBLAS
 * @param coreName       {@code openblas_get_corename()}, or null
 * @param threads        OpenBLAS's thread count, or -1 when unknown
 * @param cpuSimd        the widest SIMD extension of this CPU ({@code avx512}, {@code avx2}, …), or null
 * @param note           why the choice was not what was asked for, or null
 */
public record BlasInfo(BlasChoice choice, String implementation, String source, String library, String config,
                       String coreName, int threads, String cpuSimd, String note) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** OpenBLAS's pre-AVX kernels: what a DYNAMIC_ARCH build falls back to on a CPU it does not know. */
    private static final Set<String> GENERIC_CORES = Set.of("prescott", "core2", "generic", "katmai", "coppermine",
            "northwood", "penryn", "dunnington", "nehalem", "atom", "banias", "opteron", "barcelona");
    private static final Pattern VERSION = Pattern.compile("OpenBLAS\\s+(\\d+\\.\\d+\\.\\d+\\S*)");

    /** Whether {@code core} is one of OpenBLAS's generic pre-AVX kernels (case-insensitive). */
    public static boolean genericCore(String core) {
        return GENERIC_CORES.contains(core.toLowerCase(Locale.ROOT));
    }

    public boolean isNative() {
        return library != null;
    }

    /** {@code 0.3.31} from the config string, or empty. */
    public Optional<String> openBlasVersion() {
        if (config == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(config);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A warning when OpenBLAS runs a generic pre-AVX kernel on a CPU with AVX2 or AVX-512. */
    public Optional<String> warning() {
        if (coreName == null || cpuSimd == null || !genericCore(coreName)
                || !(cpuSimd.equals("avx2") || cpuSimd.equals("avx512"))) {
            return Optional.empty();
        }
        return Optional.of("OpenBLAS " + openBlasVersion().orElse("") + " at " + library + " runs its generic "
                + coreName + " kernel on a CPU with " + cpuSimd.toUpperCase(Locale.ROOT)
                + " (it does not know this CPU): products run several times slower. Use the bundled OpenBLAS "
                + "(SHARDPROP_BLAS=auto or bundled) or force a kernel with OPENBLAS_CORETYPE="
                + (cpuSimd.equals("avx512") ? "SkylakeX" : "Haswell"));
    }

    /** One line: {@code JNIBLAS over bundled OpenBLAS 0.3.31 (core Zen, 1 thread) at /…/libopenblas.so.0}. */
    public String summary() {
        String cls = implementation.substring(implementation.lastIndexOf('.') + 1);
        StringBuilder s = new StringBuilder(cls);
        if (isNative()) {
            s.append(" over ").append(source).append(' ');
            if (config != null) {
                s.append("OpenBLAS ").append(openBlasVersion().orElse("(version unknown)"));
                s.append(" (core ").append(coreName).append(", ")
                        .append(threads < 0 ? "? threads" : threads + (threads == 1 ? " thread" : " threads")).append(')');
            } else {
                s.append("BLAS (not OpenBLAS: kernel and threads unknown)");
            }
            s.append(" at ").append(library);
        } else {
            s.append(" (pure Java)");
        }
        if (note != null) {
            s.append("; ").append(note);
        }
        return s.toString();
    }
}
