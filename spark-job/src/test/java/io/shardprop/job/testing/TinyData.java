package io.shardprop.job.testing;

import io.shardprop.job.TinyMnist;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test class's tiny MNIST-like data set: on a {@code static Path} field, a folder named after the field
 * holding the four IDX files {@link TinyMnist#write} makes, written once before the class's {@code @BeforeAll}
 * methods run and deleted after the class:
 * <pre>{@code @TinyData(train = 60, test = 20, seed = 4) static Path data;}</pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TinyData.Writer.class)
public @interface TinyData {

    /** Training images and labels. */
    int train();

    /** Test images and labels. */
    int test();

    /** The seed of the pixels and labels. */
    long seed();

    /** Gzipped files ({@code .gz} names). */
    boolean gzip() default false;

    /** Writes the data of each annotated static field of the test class, and deletes it afterwards. */
    final class Writer implements BeforeAllCallback, AfterAllCallback {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Writer.class);

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            Class<?> testClass = context.getRequiredTestClass();
            List<Path> roots = new ArrayList<>();
            for (Field f : testClass.getDeclaredFields()) {
                TinyData spec = f.getAnnotation(TinyData.class);
                if (spec == null) {
                    continue;
                }
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Path.class) {
                    throw new IllegalStateException("@TinyData goes on a static Path field, not " + f);
                }
                Path root = Files.createTempDirectory("shardprop-" + testClass.getSimpleName());
                roots.add(root);
                Path dir = Files.createDirectory(root.resolve(f.getName()));
                f.setAccessible(true);
                f.set(null, TinyMnist.write(dir, spec.train(), spec.test(), spec.seed(), spec.gzip()));
            }
            context.getStore(NAMESPACE).put(testClass, roots);
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            Object roots = context.getStore(NAMESPACE).remove(context.getRequiredTestClass());
            if (roots instanceof List<?> list) {
                for (Object root : list) {
                    try (Stream<Path> files = Files.walk((Path) root)) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
            }
        }
    }
}
