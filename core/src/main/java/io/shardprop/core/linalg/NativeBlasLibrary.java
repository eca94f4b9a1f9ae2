package io.shardprop.core.linalg;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The native BLAS library netlib's JNI binds, opened a second time through JNA ({@code dlopen} of the same
 * name gives the same loaded library) to ask what it is: its file, and for OpenBLAS its configuration
 * ({@code openblas_get_config}: version, build options), its kernel ({@code openblas_get_corename}), and
 * its thread count, which {@link #setThreads} sets where the environment variable cannot reach (executors
 * started by a cluster manager, the single-process engine).
 */
final class NativeBlasLibrary {

    private static final int RTLD_LAZY = 1;
    private static final int RTLD_LOCAL_MACOS = 4;  // 0 on Linux; macOS's default would be RTLD_GLOBAL

    private final NativeLibrary library;

    private NativeBlasLibrary(NativeLibrary library) {
        this.library = library;
    }

    /**
     * {@code name} is a path or a library name for {@code dlopen}, e.g. {@code libblas.so.3}.
     *
     * @return empty, with nothing printed, when it cannot be opened or has no {@code dgemm_}
     */
    static Optional<NativeBlasLibrary> open(String name) {
        try {
            boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
            NativeLibrary lib = NativeLibrary.getInstance(name,
                    Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY | (mac ? RTLD_LOCAL_MACOS : 0)));
            lib.getFunction("dgemm_");
            return Optional.of(new NativeBlasLibrary(lib));
        } catch (LinkageError | RuntimeException e) {  // also JNA without its dispatch library for this platform
            return Optional.empty();
        }
    }

    /** The file the library was loaded from: found through the address of {@code dgemm_} on Linux. */
    Optional<Path> file() {
        Optional<Path> mapped = mappedFile(Pointer.nativeValue(library.getFunction("dgemm_")));
        if (mapped.isPresent()) {
            return mapped;
        }
        return Optional.ofNullable(library.getFile()).map(f -> f.toPath().toAbsolutePath());
    }

    /** {@code openblas_get_config()}, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64}. */
    Optional<String> openBlasConfig() {
        return string("openblas_get_config");
    }

    /** {@code openblas_get_corename()}, e.g. {@code Haswell}, {@code SkylakeX}, {@code Prescott}. */
    Optional<String> coreName() {
        return string("openblas_get_corename");
    }

    /** {@code openblas_set_num_threads(n)}; false when the library is not OpenBLAS. */
    boolean setThreads(int n) {
        Optional<Function> f = function("openblas_set_num_threads");
        f.ifPresent(fn -> fn.invokeVoid(new Object[]{n}));
        return f.isPresent();
    }

    /** {@code openblas_get_num_threads()}, or -1 when the library is not OpenBLAS. */
    int threads() {
        return function("openblas_get_num_threads").map(f -> f.invokeInt(new Object[0])).orElse(-1);
    }

    private Optional<String> string(String name) {
        return function(name).map(f -> f.invokeString(new Object[0], false)).map(String::trim);
    }

    private Optional<Function> function(String name) {
        try {
            return Optional.of(library.getFunction(name));
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    /** The file mapped at {@code address}, from {@code /proc/self/maps} (Linux only). */
    static Optional<Path> mappedFile(long address) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(maps);
            for (String line : lines) {
                // start-end perms offset dev inode [path]
                String[] f = line.trim().split("\\s+", 6);
                if (f.length < 6 || !f[5].startsWith("/")) {
                    continue;
                }
                int dash = f[0].indexOf('-');
                long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
                long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
                if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                    return Optional.of(Path.of(f[5]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
