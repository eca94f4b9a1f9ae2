package io.shardprop.core.linalg;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BlasLoaderTest {

    /** Prints what {@link Blas#info()} says, then a product's result, for a fresh JVM with other settings. */
    public static final class Probe {
        public static void main(String[] args) {
            BlasInfo info = Blas.info();
            Mat c = Mat.zeros(1, 1);
            Blas.gemm(1, Mat.of(1, 2, 3, 4), false, Mat.of(2, 1, 5, 6), false, 0, c);
            System.out.println("source=" + info.source() + " implementation=" + info.implementation()
                    + " threads=" + info.threads() + " core=" + info.coreName() + " product=" + c.get(0, 0));
            System.out.println("summary=" + info.summary());
        }
    }

    @Test
    void theBundledOpenBlasLoadsWithOneThread() throws Exception {
        Run run = probe("-Dshardprop.blas=bundled");
        if (BundledOpenBlas.platformId().isEmpty()) {
            assertTrue(run.out.contains("no bundled OpenBLAS"), run.out);  // nothing shipped for this platform
            return;
        }
        assertTrue(run.out.contains("source=bundled implementation=dev.ludovic.netlib.blas.JNIBLAS threads=1 core="),
                run.out);
        assertFalse(run.out.contains("core=null"), run.out);
        assertTrue(run.out.contains("summary=JNIBLAS over bundled OpenBLAS 0.3.31 (core "), run.out);
        assertTrue(run.out.contains("product=39.0"), run.out);
        assertEquals("", run.err.replaceAll("WARNING: Using incubator modules: jdk.incubator.vector\\R", ""));
    }

    @Test
    void theDefaultIsANativeOpenBlasThatKnowsThisCpu() {
        BlasInfo info = Blas.info();
        assertEquals(BlasChoice.AUTO, info.choice());
        assumeFalse(BundledOpenBlas.platformId().isEmpty(), "no OpenBLAS is bundled for this platform");
        assertTrue(info.isNative() && info.coreName() != null, info.summary());
        assertEquals(1, info.threads(), "one BLAS thread per JVM unless -Dshardprop.blas.threads says otherwise");
        assertTrue(Files.isRegularFile(Path.of(info.library())), info.library());
        if (info.source().equals("system")) {
            assertFalse(BlasInfo.genericCore(info.coreName()), info.summary());
            assertTrue(info.note().startsWith("auto: the system OpenBLAS knows this CPU"), info.summary());
        } else {
            assertEquals("bundled", info.source(), info.summary());
            assertEquals("0.3.31", info.openBlasVersion().orElseThrow(), info.config());
        }
    }

    @Test
    void javaChoiceRunsPureJavaAndPrintsNothingElse() throws Exception {
        Run run = probe("-Dshardprop.blas=java");
        assertTrue(run.out.contains("source=java implementation=dev.ludovic.netlib.blas.VectorBLAS"), run.out);
        assertTrue(run.out.contains("product=39.0"), run.out);
        assertEquals("", run.err.replaceAll("WARNING: Using incubator modules: jdk.incubator.vector\\R", ""));
    }

    @Test
    void systemChoiceWithoutTheLibraryFallsBackQuietly() throws Exception {
        Run run = probe("-Dshardprop.blas=system", "-Ddev.ludovic.netlib.blas.nativeLib=libshardprop-no-such-blas.so");
        assertTrue(run.out.contains("source=java"), run.out);
        assertTrue(run.out.contains("no system BLAS (libshardprop-no-such-blas.so not found)"), run.out);
        assertTrue(run.out.contains("product=39.0"), run.out);
        assertFalse(run.err.contains("netlib-blas"), "no JNI noise: " + run.err);
    }

    @Test
    void threadsCanBeRaised() throws Exception {
        assumeFalse(BundledOpenBlas.platformId().isEmpty(), "no OpenBLAS is bundled for this platform");
        Run run = probe("-Dshardprop.blas=bundled", "-Dshardprop.blas.threads=2");
        assertTrue(run.out.contains("source=bundled") && run.out.contains("threads=2"), run.out);
    }

    @Test
    void choicesAreParsedWithTheirSourceInTheMessage() {
        assertEquals(BlasChoice.SYSTEM, BlasChoice.parse(" System ", "SHARDPROP_BLAS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlasChoice.parse("mkl", "SHARDPROP_BLAS"));
        assertEquals("SHARDPROP_BLAS=mkl is not a BLAS choice: use auto, bundled, system or java", e.getMessage());
    }

    @Test
    void aGenericKernelOnAnAvx2CpuIsWarnedAbout() {
        BlasInfo prescott = info("Prescott", "avx2");
        String w = prescott.warning().orElseThrow();
        assertTrue(w.contains("generic Prescott kernel on a CPU with AVX2") && w.contains("OPENBLAS_CORETYPE=Haswell"), w);
        assertTrue(BlasInfo.genericCore("PRESCOTT") && !BlasInfo.genericCore("Zen"));
        assertTrue(info("Core2", "avx512").warning().orElseThrow().contains("OPENBLAS_CORETYPE=SkylakeX"));
        assertTrue(info("Haswell", "avx2").warning().isEmpty());
        assertTrue(info("SkylakeX", "avx512").warning().isEmpty());
        assertTrue(info("Prescott", "sse").warning().isEmpty(), "the right kernel for an old CPU");
        assertTrue(info("Prescott", null).warning().isEmpty(), "unknown CPU: no guess");
    }

    @Test
    void summaryNamesVersionCoreThreadsAndFile() {
        assertEquals("JNIBLAS over system OpenBLAS 0.3.21 (core Prescott, 1 thread) at /usr/lib/libblas.so.3",
                info("Prescott", "avx2").summary());
        BlasInfo java = new BlasInfo(BlasChoice.JAVA, "dev.ludovic.netlib.blas.VectorBLAS", "java", null, null, null,
                -1, "avx2", null);
        assertEquals("VectorBLAS (pure Java)", java.summary());
        assertTrue(java.warning().isEmpty());
        assertNull(java.openBlasVersion().orElse(null));
    }

    @Test
    void mappedFileFindsTheLibraryOfAnAddress() throws IOException {
        BlasInfo info = Blas.info();
        assumeTrue(info.isNative() && Files.isReadable(Path.of("/proc/self/maps")), "a native BLAS, on Linux");
        assertTrue(Path.of(info.library()).getFileName().toString().contains("blas"), info.library());
        long dgemm = Pointer.nativeValue(NativeLibrary.getInstance(info.library()).getFunction("dgemm_"));
        Path mapped = NativeBlasLibrary.mappedFile(dgemm).orElseThrow();
        assertEquals(Path.of(info.library()).toRealPath(), mapped.toRealPath(), "the file mapped at dgemm_");
        assertTrue(NativeBlasLibrary.mappedFile(0L).isEmpty());
    }

    private static BlasInfo info(String core, String simd) {
        return new BlasInfo(BlasChoice.SYSTEM, "dev.ludovic.netlib.blas.JNIBLAS", "system", "/usr/lib/libblas.so.3",
                "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY " + core + " MAX_THREADS=64", core, 1, simd, null);
    }

    private record Run(String out, String err) {
    }

    private static Run probe(String... props) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("blas-probe");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.addAll(List.of(props));
        cmd.add("-Dshardprop.blas.cache=" + dir.resolve("cache"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().remove(BlasChoice.ENV);
        pb.environment().remove("JAVA_TOOL_OPTIONS");  // the JVM would announce it on stderr
        pb.environment().remove("_JAVA_OPTIONS");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM did not finish");
        Run run = new Run(Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), run.err);
        return run;
    }
}
