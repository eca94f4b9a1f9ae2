package io.shardprop.job.cli;

import io.shardprop.core.onnx.OnnxFile;
import io.shardprop.job.model.ModelFixtures;
import io.shardprop.job.testing.MainRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code export}'s options and files, without Spark: usage errors in one line, no file left behind, --overwrite. */
class ExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesAnOnnxFileAndReplacesItOnlyWithOverwrite() throws IOException {
        Path model = ModelFixtures.write(dir.resolve("m"), 6);
        Path out = dir.resolve("m.onnx");
        MainRun first = MainRun.of("export", "--model", model.toString(), "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        OnnxFile f = OnnxFile.read(Files.readAllBytes(out));
        assertEquals("float32", f.metadata().get("shardprop.precision"));
        assertTrue(f.metadata().get("shardprop.softmax").contains("1e-12"), f.metadata().toString());
        byte[] before = Files.readAllBytes(out);
        MainRun again = MainRun.of("export", "--model", model.toString(), "--out", out.toString(), "--precision",
                "float64");
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("already exists; pass --overwrite"), again.err());
        assertArrayEquals(before, Files.readAllBytes(out), "not overwritten");
        MainRun overwrite = MainRun.of("export", "--model", model.toString(), "--out", out.toString(), "--precision",
                "float64", "--overwrite");
        assertEquals(0, overwrite.code(), overwrite.err());
        assertEquals("float64", OnnxFile.read(Files.readAllBytes(out)).metadata().get("shardprop.precision"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("m", "m.onnx"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void badOptionsAreOneLineAndWriteNothing() throws IOException {
        Path model = ModelFixtures.write(dir.resolve("m"), 4);
        Path out = dir.resolve("x.onnx");
        MainRun.of("export", "--model", model.toString()).assertUsageError("--out FILE is required", out);
        MainRun.of("export", "--model", model.toString(), "--out", out.toString(), "--precision", "float16")
                .assertUsageError("--precision", out);
        MainRun.of("export", "--model", model.toString(), "--out", out.toString(), "--input", "bytes")
                .assertUsageError("--input", out);
        MainRun.of("export", "--model", model.toString(), "--out", out.toString(), "--format", "pmml")
                .assertUsageError("--format", out);
        MainRun.of("export", "--model", dir.resolve("none").toString(), "--out", out.toString())
                .assertUsageError("--model: ", out);
        MainRun.of("export", "--model", model.toString(), "--out", dir.resolve("no/such/x.onnx").toString())
                .assertUsageError("is not an existing folder", dir.resolve("no"));
        MainRun.of("export", "--model", model.toString(), "--out", dir.toString())
                .assertUsageError("is a folder, not a file", out);
    }
}
