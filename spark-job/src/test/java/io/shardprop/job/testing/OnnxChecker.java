package io.shardprop.job.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ONNX project's own validator on an exported file: {@code onnx.checker.check_model(full_check=True)} (which runs
 * shape inference too) in {@code python3}, where the {@code onnx} package is installed (CI installs it).
 */
public final class OnnxChecker {

    private static Boolean available;

    private OnnxChecker() {
    }

    /** Whether python3 has the onnx package. */
    public static synchronized boolean available() {
        if (available == null) {
            available = python("import onnx").exit == 0;
            if (!available) {
                System.out.println("onnx.checker not run: python3 has no onnx package (pip install onnx)");
            }
        }
        return available;
    }

    /** Asserts that {@code file} passes the full check; does nothing where onnx is not installed. */
    public static void check(Path file) {
        if (!available()) {
            return;
        }
        Result r = python("import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                + "print('onnx.checker: ok, ir', m.ir_version, 'opset', m.opset_import[0].version)", file.toString());
        assertEquals(0, r.exit, file + ": " + r.out);
        assertTrue(r.out.contains("onnx.checker: ok"), r.out);
    }

    private record Result(int exit, String out) {
    }

    private static Result python(String code, String... args) {
        try {
            String[] command = new String[3 + args.length];
            command[0] = "python3";
            command[1] = "-c";
            command[2] = code;
            System.arraycopy(args, 0, command, 3, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
