package io.shardprop.core.linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The widest x86 SIMD extension this CPU has, from {@code /proc/cpuinfo} (Linux; empty elsewhere). */
final class CpuFeatures {

    private CpuFeatures() {
    }

    /** {@code avx512}, {@code avx2}, {@code avx}, {@code sse} or empty when unknown (not Linux, not x86). */
    static Optional<String> widestSimd() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (!Files.isReadable(cpuinfo)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(cpuinfo);
            for (String line : lines) {
                if (line.startsWith("flags")) {
                    Set<String> flags = Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                            .collect(Collectors.toSet());
                    return Optional.of(flags.contains("avx512f") ? "avx512" : flags.contains("avx2") ? "avx2"
                            : flags.contains("avx") ? "avx" : "sse");
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
