package io.shardprop.job.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan that Spark Connect's ML server makes of {@code META-INF/services} ({@code MLUtils.loadOperators} over
 * Estimator, Transformer and Evaluator, then {@code MLHandler}'s allow-list), run over the shaded jar as spark-submit
 * ships it, with Spark's own jars and operators beside it and nothing of the build's class folders: one bad entry in
 * any of the files would make it throw and fail every ML command of that server. A jar with a bad entry shows it.
 */
class ConnectRegistryIT {

    @TempDir
    Path dir;

    @Test
    void theShadedJarsOperatorsAreFoundBesideSparksOwn() throws Exception {
        try (URLClassLoader loader = isolated(List.of())) {
            Object estimators = scan(loader, "org.apache.spark.ml.Estimator");
            Object transformers = scan(loader, "org.apache.spark.ml.Transformer");
            scan(loader, "org.apache.spark.ml.evaluation.Evaluator");
            for (String name : List.of("io.shardprop.job.ml.ShardPropClassifier", "io.shardprop.job.ml.ShardPropRegressor",
                    "org.apache.spark.ml.classification.LogisticRegression",
                    "org.apache.spark.ml.classification.MultilayerPerceptronClassifier")) {
                assertTrue(contains(estimators, name), name + " among the estimators");
            }
            for (String name : List.of("io.shardprop.job.ml.ShardPropModel", "io.shardprop.job.ml.ShardPropRegressionModel",
                    "org.apache.spark.ml.classification.LogisticRegressionModel")) {
                assertTrue(contains(transformers, name), name + " among the transformers");
            }
            // what the server then does with them: MLHandler's allow-list, constructors by uid, static load and read
            Thread.currentThread().setContextClassLoader(loader);
            assertNotNull(Class.forName("org.apache.spark.sql.connect.ml.MLHandler$", true, loader)
                    .getMethod("safeMLClassLoader").invoke(
                            Class.forName("org.apache.spark.sql.connect.ml.MLHandler$", true, loader)
                                    .getField("MODULE$").get(null)));
            for (String name : List.of("io.shardprop.job.ml.ShardPropClassifier", "io.shardprop.job.ml.ShardPropRegressor",
                    "io.shardprop.job.ml.ShardPropModel", "io.shardprop.job.ml.ShardPropRegressionModel")) {
                Class<?> c = Class.forName(name, true, loader);
                assertTrue(c.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith(".jar"),
                        name + " comes from the shaded jar");
                c.getMethod("read");
                c.getMethod("load", String.class);
                c.getConstructor().newInstance();
                if (name.endsWith("Classifier") || name.endsWith("Regressor")) {
                    Object e = c.getConstructor(String.class).newInstance("uid_1");
                    assertEquals("uid_1", c.getMethod("uid").invoke(e));
                }
            }
        } finally {
            Thread.currentThread().setContextClassLoader(ConnectRegistryIT.class.getClassLoader());
        }
    }

    @Test
    void aBadEntryBreaksTheWholeScan() throws Exception {
        Path bad = dir.resolve("bad.jar");
        try (OutputStream file = Files.newOutputStream(bad); JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new ZipEntry("META-INF/services/org.apache.spark.ml.Transformer"));
            jar.write("io.shardprop.job.ml.NoSuchModel\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        try (URLClassLoader loader = isolated(List.of(bad))) {
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> scan(loader, "org.apache.spark.ml.Transformer"));
            assertEquals("java.util.ServiceConfigurationError", e.getCause().getClass().getName());
            assertTrue(e.getCause().getMessage().contains("NoSuchModel"), e.getCause().getMessage());
        }
    }

    /**
     * A class loader of the shaded jar, {@code extra} and every jar of this JVM's class path but the project's own (its
     * class folders and shardprop-core), over the platform loader: what a Connect server with the jar added sees.
     */
    private static URLClassLoader isolated(List<Path> extra) throws IOException {
        Path jar = Path.of(System.getProperty("shardprop.jar", "target/shardprop-job.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar at " + jar + " (integration tests run after package)");
        List<URL> urls = new ArrayList<>();
        urls.add(jar.toUri().toURL());
        for (Path p : extra) {
            urls.add(p.toUri().toURL());
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (Files.isDirectory(p) || name.startsWith("shardprop-") || !name.endsWith(".jar")) {
                continue;
            }
            urls.add(p.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** {@code MLUtils.loadOperators(service)} in {@code loader}: class name → class, as the server computes it. */
    private static Object scan(ClassLoader loader, String service) throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class<?> utils = Class.forName("org.apache.spark.sql.connect.ml.MLUtils$", true, loader);
            Object module = utils.getField("MODULE$").get(null);
            return utils.getMethod("loadOperators", Class.class).invoke(module, Class.forName(service, false, loader));
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    /** Whether a Scala map (of the isolated loader) has key {@code name}. */
    private static boolean contains(Object scalaMap, String name) throws Exception {
        return (Boolean) scalaMap.getClass().getMethod("contains", Object.class).invoke(scalaMap, name);
    }
}
