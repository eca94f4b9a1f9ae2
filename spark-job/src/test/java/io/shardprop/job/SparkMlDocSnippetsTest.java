package io.shardprop.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/spark-ml.md's regression pipeline ({@code <!-- java-regression -->}) and weighted, early-stopped classification
 * ({@code <!-- java-weighted -->}), compiled and run as written on CSV files of the shape {@code scripts/tabular.py}
 * writes ({@code x0…, label, test}), generated here.
 */
class SparkMlDocSnippetsTest extends SparkTestBase {

    @Test
    void theRegressionPipelineBeatsALinearModelAndReloadsToTheSamePredictions(@TempDir Path tmp) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("x0,x1,x2,x3,x4,x5,label,test\n");
        for (int i = 0; i < 1500; i++) {
            double[] x = new double[6];
            for (int j = 0; j < x.length; j++) {
                x[j] = r.nextDouble();
                csv.append(x[j]).append(',');
            }
            double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
                    + r.nextGaussian();
            csv.append(100 + y).append(',').append(i % 5 == 0).append('\n');
        }
        Path data = Files.writeString(tmp.resolve("friedman.csv"), csv);
        String out = ReadmeJavaSnippetTest.runBlock(tmp, "<!-- java-regression -->", data.toString(),
                tmp.resolve("best").toString());
        Matcher m = Pattern.compile("held-out R² ([-0-9.]+) \\(LinearRegression ([-0-9.]+)\\); same predictions "
                + "after loading: (\\w+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) > Double.parseDouble(m.group(2)) + 0.05, out);
        assertTrue(Boolean.parseBoolean(m.group(3)), out);
    }

    @Test
    void theWeightedEarlyStoppedClassifierStopsAndBalancesTheClasses(@TempDir Path tmp) throws Exception {
        SplittableRandom r = new SplittableRandom(4);
        StringBuilder csv = new StringBuilder("x0,x1,x2,x3,label,test\n");
        for (int i = 0; i < 3000; i++) {
            int y = r.nextDouble() < 0.05 ? 1 : 0;
            for (int j = 0; j < 4; j++) {
                csv.append((y == 1 && j < 2 ? 1.2 : 0) + r.nextGaussian()).append(',');
            }
            csv.append(y).append(',').append(i % 5 == 0).append('\n');
        }
        Path data = Files.writeString(tmp.resolve("imbalanced.csv"), csv);
        String out = ReadmeJavaSnippetTest.runBlock(tmp, "<!-- java-weighted -->", data.toString());
        Matcher m = Pattern.compile("best epoch (\\d+) of (\\d+), balanced accuracy ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        int best = Integer.parseInt(m.group(1));
        int trained = Integer.parseInt(m.group(2));
        assertTrue(best >= 1 && (trained == best + 5 || trained == 60 && best > 55),
                "stopped 5 epochs after its best, or still improving at the end: " + out);
        assertTrue(Double.parseDouble(m.group(3)) > 0.7, out);
    }
}
