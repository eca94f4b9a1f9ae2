package io.shardprop.core.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Points netlib at the chosen native library before netlib loads one (it reads the system properties
 * {@value #NATIVE_LIB_PATH} and {@value #NATIVE_LIB} once, when {@link BLAS#getInstance()} first runs, and
 * {@value #ALLOW_NATIVE} to skip native code), then sets OpenBLAS's thread count and describes the result.
 * Nothing is printed: without a loadable library netlib is told not to try, so its JNI writes no
 * {@code dlopen … failed} line, and its own log line is replaced by {@link BlasInfo#summary()}.
 */
final class BlasLoader {

    static final String NATIVE_LIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    static final String NATIVE_LIB = "dev.ludovic.netlib.blas.nativeLib";
    static final String ALLOW_NATIVE = "dev.ludovic.netlib.blas.allowNative";
    /** BLAS threads per JVM; default 1: Spark runs a task per core, and one thread keeps float32 bitwise stable. */
    static final String THREADS = "shardprop.blas.threads";

    /** netlib logs "Using …" at INFO through java.util.logging; held here so the level setting is kept. */
    private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib.blas");

    record Loaded(BLAS blas, BlasInfo info) {
    }

    private BlasLoader() {
    }

    static Loaded load(BlasChoice choice) {
        NETLIB_LOG.setLevel(Level.WARNING);
        String userLib = userNamedLibrary();  // before this method sets nativeLibPath itself
        List<String> notes = new ArrayList<>();
        String source = null;
        String name = null;
        if (choice == BlasChoice.AUTO && userLib == null) {
            Optional<NativeBlasLibrary> system = NativeBlasLibrary.open("libblas.so.3");
            String core = system.flatMap(NativeBlasLibrary::coreName).orElse(null);
            if (core != null && !BlasInfo.genericCore(core)) {
                name = "libblas.so.3";
                source = "system";
                notes.add("auto: the system OpenBLAS knows this CPU (core " + core + ")");
            } else if (system.isPresent()) {
                system.get().setThreads(1);  // loaded to ask it, not used: keep its thread pool idle
                notes.add("auto: the system libblas.so.3 is " + (core == null ? "not OpenBLAS"
                        : "an OpenBLAS on its generic " + core + " kernel") + ", so the bundled one runs");
            }
        }
        if ((choice == BlasChoice.BUNDLED || choice == BlasChoice.AUTO) && source == null && userLib == null) {
            try {
                Optional<Path> bundled = BundledOpenBlas.extract();
                if (bundled.isPresent()) {
                    name = bundled.get().toString();
                    System.setProperty(NATIVE_LIB_PATH, name);
                    source = "bundled";
                } else {
                    notes.add("no bundled OpenBLAS for " + BundledOpenBlas.platformId().orElse(
                            System.getProperty("os.name") + "/" + System.getProperty("os.arch")) + " on the classpath");
                }
            } catch (UncheckedIOException | UnsatisfiedLinkError e) {
                notes.add("bundled OpenBLAS not usable (" + e.getMessage() + ")");
            }
        }
        if (choice != BlasChoice.JAVA && source == null) {
            String system = userLib != null ? userLib : "libblas.so.3";
            if (NativeBlasLibrary.open(system).isPresent()) {
                name = system;
                source = "system";
            } else {
                notes.add("no system BLAS (" + system + " not found)");
            }
        }
        if (name == null && System.getProperty(ALLOW_NATIVE) == null) {
            System.setProperty(ALLOW_NATIVE, "false");
        }

        BLAS blas = BLAS.getInstance();
        String simd = CpuFeatures.widestSimd().orElse(null);
        if (!(blas instanceof NativeBLAS) || name == null) {
            if (name != null) {
                notes.add("netlib could not bind " + name);
            }
            return new Loaded(blas, new BlasInfo(choice, blas.getClass().getName(), "java", null, null, null, -1,
                    simd, note(notes)));
        }
        Optional<NativeBlasLibrary> lib = NativeBlasLibrary.open(name);
        int threads = Integer.getInteger(THREADS, 1);
        String file = name;
        String config = null;
        String core = null;
        int actual = -1;
        if (lib.isPresent()) {
            NativeBlasLibrary l = lib.get();
            file = l.file().map(Path::toString).orElse(name);
            if (l.setThreads(threads)) {
                actual = l.threads();
            }
            config = l.openBlasConfig().orElse(null);
            core = l.coreName().orElse(null);
        }
        return new Loaded(blas, new BlasInfo(choice, blas.getClass().getName(), source, file, config, core, actual,
                simd, note(notes)));
    }

    private static String note(List<String> notes) {
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    /** The library the user named for netlib with its own properties, or null. */
    private static String userNamedLibrary() {
        String path = System.getProperty(NATIVE_LIB_PATH);
        if (path != null && !path.isBlank()) {
            return path;
        }
        String lib = System.getProperty(NATIVE_LIB);
        return lib != null && !lib.isBlank() ? lib : null;
    }
}
