package io.shardprop.core.linalg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The OpenBLAS shipped on the classpath by the Maven artifact {@code org.bytedeco:openblas:<v>:<platform>}
 * (its {@code org/bytedeco/openblas/<platform>/} folder; only the library and its Fortran runtime, not
 * bytedeco's JNI wrappers), extracted once per version into a cache folder so that netlib's JNI can
 * {@code dlopen} it by path.
 *
 * <p>The cache folder is {@code -Dshardprop.blas.cache}, else {@code $XDG_CACHE_HOME/shardprop} or
 * {@code ~/.cache/shardprop}, else {@code java.io.tmpdir/shardprop-<user>}. Each version gets its own
 * folder named after the library's CRC, filled under a temporary name and renamed when complete, so that
 * executors starting side by side on one host never see a half-written library.
 */
final class BundledOpenBlas {

    static final String CACHE_PROPERTY = "shardprop.blas.cache";

    /**
     * One platform's files, dependencies before dependants, the last OpenBLAS itself; those of them that
     * exist are extracted (aarch64's libgfortran needs no libquadmath, so that jar has none), and the
     * {@code preload} ones that exist are loaded before netlib opens OpenBLAS.
     */
    private record Platform(String id, List<String> files, List<String> preload) {
    }

    private BundledOpenBlas() {
    }

    /** The platform key bytedeco uses, e.g. {@code linux-x86_64}; empty when it ships nothing for this JVM. */
    static Optional<String> platformId() {
        return platform().map(Platform::id);
    }

    private static Optional<Platform> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> null;
        };
        if (arch == null) {
            return Optional.empty();
        }
        if (os.startsWith("linux")) {
            // libgcc_s.so.1 is the system's (glibc systems all have it; a second copy would confuse unwinding).
            // libgfortran's own dependency libquadmath is found only if loaded first (it has no RUNPATH).
            return Optional.of(new Platform("linux-" + arch,
                    List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"),
                    List.of("libquadmath.so.0", "libgfortran.so.5")));
        }
        if (os.startsWith("mac")) {
            // every dylib names its dependencies @rpath/… with @loader_path: one folder is enough
            return Optional.of(new Platform("macosx-" + arch,
                    List.of("libgcc_s.1.1.dylib", "libquadmath.0.dylib", "libgfortran.5.dylib", "libopenblas.0.dylib"),
                    List.of()));
        }
        return Optional.empty();
    }

    /**
     * The path of the extracted OpenBLAS, its dependencies loaded; empty when this platform's files are not on
     * the classpath (not shipped for it, or left out of the jar on purpose).
     *
     * @throws UncheckedIOException when the files are there but cannot be extracted
     */
    static Optional<Path> extract() {
        Optional<Platform> platform = platform();
        if (platform.isEmpty()) {
            return Optional.empty();
        }
        Platform p = platform.get();
        List<String> files = new ArrayList<>();
        List<URL> urls = new ArrayList<>();
        for (String file : p.files()) {
            URL url = BundledOpenBlas.class.getClassLoader().getResource("org/bytedeco/openblas/" + p.id() + "/" + file);
            if (url != null) {
                files.add(file);
                urls.add(url);
            }
        }
        String openBlas = p.files().get(p.files().size() - 1);
        if (!files.contains(openBlas)) {
            return Optional.empty();
        }
        try {
            Path dir = cacheRoot().resolve("openblas-" + p.id() + "-" + fingerprint(urls.get(urls.size() - 1)));
            if (!Files.isRegularFile(dir.resolve(".complete"))) {
                fill(dir, files, urls);
            }
            for (String file : p.preload()) {
                if (files.contains(file)) {
                    System.load(dir.resolve(file).toString());
                }
            }
            return Optional.of(dir.resolve(openBlas));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled OpenBLAS: " + e.getMessage(), e);
        }
    }

    /** CRC and size of a jar entry (cheap: from the jar's index), or size and time of a plain file. */
    private static String fingerprint(URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (c instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            var entry = jar.getJarEntry();
            jar.getJarFile().close();
            return Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
        }
        try {
            Path file = Path.of(url.toURI());
            return Long.toHexString(Files.getLastModifiedTime(file).toMillis()) + "-" + Files.size(file);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("unexpected resource URL " + url, e);
        }
    }

    private static void fill(Path dir, List<String> files, List<URL> urls) throws IOException {
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".tmp-");
        try {
            for (int i = 0; i < files.size(); i++) {
                try (InputStream in = urls.get(i).openStream()) {
                    Files.copy(in, tmp.resolve(files.get(i)));
                }
            }
            Files.createFile(tmp.resolve(".complete"));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(dir.resolve(".complete"))) {
                    throw e;
                }
                // another JVM on this host renamed its complete copy first: use that one
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home", "/nonexistent"), ".cache");
        if (writable(home)) {
            return home.resolve("shardprop");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "shardprop-" + System.getProperty("user.name", "user"));
    }

    private static boolean writable(Path dir) {
        Path d = dir;
        while (d != null && !Files.exists(d)) {
            d = d.getParent();
        }
        return d != null && Files.isDirectory(d) && Files.isWritable(d);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
