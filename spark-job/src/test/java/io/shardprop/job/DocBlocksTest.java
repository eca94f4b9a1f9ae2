package io.shardprop.job;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every code block of README.md and docs/*.md that users copy is checked (fast, no Spark):
 * <ul>
 * <li>every block names its language; {@code text} marks console output and listings, which are not commands;</li>
 * <li>{@code java} blocks compile against the test classpath (the marked pipeline also runs:
 * {@link ReadmeJavaSnippetTest});</li>
 * <li>{@code python} blocks byte-compile (they also run on a trained run: {@link ReadmeNumpySnippetTest});</li>
 * <li>{@code bash}/{@code sh} blocks pass {@code bash -n}; every {@code scripts/X.sh} they call exists; the
 * options they give {@code train}, {@code evaluate}, {@code predict} … (through {@code scripts/train.sh},
 * {@code scripts/run.sh}, after {@code --} of {@code scripts/submit.sh}, or after the jar of {@code spark-submit})
 * parse in the picocli model, without running; any other {@code --flag} given to a {@code scripts/X.sh} appears in
 * that script.</li>
 * </ul>
 */
class DocBlocksTest {

    static final Set<String> LANGUAGES = Set.of("java", "python", "bash", "sh", "text", "dockerfile", "properties");
    private static final Pattern SCRIPT = Pattern.compile("^(?:\\./)?(scripts/[\\w.-]+\\.sh)$");
    private static final String MAIN = "io.shardprop.job.Main";

    @Test
    void everyBlockNamesItsLanguage() {
        List<DocBlocks.Block> blocks = DocBlocks.all();
        assertTrue(blocks.size() > 15, blocks.size() + " blocks");
        List<String> bad = blocks.stream().filter(b -> !LANGUAGES.contains(b.lang()))
                .map(b -> b.where() + ": ```" + b.lang() + " (one of " + LANGUAGES + "; text for output)").toList();
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    @Test
    void javaBlocksCompile(@TempDir Path tmp) throws IOException {
        List<DocBlocks.Block> blocks = DocBlocks.all("java");
        assertFalse(blocks.isEmpty());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (DocBlocks.Block b : blocks) {
            Matcher name = Pattern.compile("public (?:final )?(?:class|record|interface) (\\w+)").matcher(b.code());
            assertTrue(name.find(), b.where() + ": a java block declares a public class");
            Path dir = Files.createDirectories(tmp.resolve("b" + b.line()));
            Path file = Files.writeString(dir.resolve(name.group(1) + ".java"), b.code());
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int code = javac.run(null, diagnostics, diagnostics, "-proc:none", "-cp",
                    System.getProperty("java.class.path"), "-d", dir.toString(), file.toString());
            assertEquals(0, code, b.where() + ":\n" + diagnostics.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void pythonBlocksCompile(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(has("python3", "--version"), "python3 is not available");
        List<DocBlocks.Block> blocks = DocBlocks.all("python");
        assertFalse(blocks.isEmpty());
        for (DocBlocks.Block b : blocks) {
            Path file = Files.writeString(tmp.resolve("block" + b.line() + ".py"), b.code());
            String out = run(List.of("python3", "-m", "py_compile", file.toString()), null);
            assertTrue(out.isEmpty(), b.where() + ":\n" + out);
        }
    }

    @Test
    void shellBlocksParseAndNameRealScriptsAndOptions() throws Exception {
        List<DocBlocks.Block> blocks = new ArrayList<>(DocBlocks.all("bash"));
        blocks.addAll(DocBlocks.all("sh"));
        assertTrue(blocks.size() >= 5, blocks.size() + " shell blocks");
        boolean bash = has("bash", "--version");
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (DocBlocks.Block b : blocks) {
            if (bash) {
                String out = run(List.of("bash", "-n"), b.code());
                if (!out.isEmpty()) {
                    problems.add(b.where() + ": bash -n: " + out.strip());
                }
            }
            for (List<String> words : commands(b.code())) {
                commands++;
                for (String p : check(words)) {
                    problems.add(b.where() + ": " + String.join(" ", words) + "\n    " + p);
                }
            }
        }
        assertTrue(commands > 5, commands + " commands checked");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The problems of one simple command, empty when it is fine. */
    static List<String> check(List<String> words) throws IOException {
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (i < words.size() && words.get(i).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            i++;  // VAR=value before the command
        }
        if (i == words.size()) {
            return problems;
        }
        for (String w : words) {
            Matcher m = SCRIPT.matcher(w);
            if (m.matches() && !Files.isRegularFile(DocBlocks.ROOT.resolve(m.group(1)))) {
                problems.add("no such script: " + m.group(1));
            }
        }
        String first = words.get(i);
        List<String> rest = words.subList(i + 1, words.size());
        Matcher script = SCRIPT.matcher(first);
        if (script.matches()) {
            switch (script.group(1)) {
                case "scripts/train.sh" -> problems.addAll(parse("train", rest));
                case "scripts/run.sh" -> {
                    if (!rest.isEmpty()) {
                        problems.addAll(parse(rest.get(0), rest.subList(1, rest.size())));
                    }
                }
                case "scripts/sweep.sh" -> {   // its own options with their values, the rest go to train
                    List<String> train = new ArrayList<>();
                    for (int k = 0; k < rest.size(); k++) {
                        if (List.of("--replicas", "--syncs", "--inner-states", "--config", "--data", "--out")
                                .contains(rest.get(k))) {
                            k++;
                        } else {
                            train.add(rest.get(k));
                        }
                    }
                    problems.addAll(parse("train", train));
                }
                case "scripts/submit.sh" -> {
                    int dashes = rest.indexOf("--");
                    if (dashes >= 0) {
                        problems.addAll(parse("train", rest.subList(dashes + 1, rest.size())));
                    }
                }
                default -> {
                    Path file = DocBlocks.ROOT.resolve(script.group(1));
                    if (Files.isRegularFile(file)) {
                        String text = Files.readString(file);
                        for (String w : rest) {
                            String flag = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
                            if (flag.startsWith("--") && flag.length() > 2 && !text.contains(flag)) {
                                problems.add(script.group(1) + " has no option " + flag);
                            }
                        }
                    }
                }
            }
        } else if (first.endsWith("spark-submit")) {
            int main = rest.indexOf(MAIN);
            if (main >= 0 && main + 2 < rest.size()) {
                problems.addAll(parse(rest.get(main + 2), rest.subList(main + 3, rest.size())));
            }
        }
        return problems;
    }

    /** Parses {@code command args} with a fresh picocli model of {@link Main}, without running anything. */
    static List<String> parse(String command, List<String> args) {
        CommandLine cl = new CommandLine(new Main());
        if (!cl.getSubcommands().containsKey(command)) {
            return List.of("no command '" + command + "' (" + cl.getSubcommands().keySet() + ")");
        }
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(args);
        try {
            cl.parseArgs(all.toArray(String[]::new));
            return List.of();
        } catch (CommandLine.MissingParameterException e) {
            return List.of();  // required options the docs leave to a script or a config (e.g. train.sh's --data)
        } catch (CommandLine.ParameterException e) {
            return List.of(command + ": " + e.getMessage());
        }
    }

    /**
     * The simple commands of a shell block as words: continuation lines joined, comments dropped, quotes removed,
     * split at {@code ;}, {@code &&}, {@code ||}, {@code |} and line ends. Enough for documentation, not a shell.
     */
    static List<List<String>> commands(String code) {
        List<List<String>> out = new ArrayList<>();
        String joined = code.replace("\\\n", " ");
        for (String line : joined.split("\n")) {
            List<String> words = new ArrayList<>();
            StringBuilder w = new StringBuilder();
            boolean inWord = false;
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        w.append(c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    inWord = true;
                } else if (c == '#' && !inWord) {
                    break;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(w.toString());
                        w.setLength(0);
                        inWord = false;
                    }
                } else if (c == ';' || c == '|' || c == '&') {
                    if (inWord) {
                        words.add(w.toString());
                        w.setLength(0);
                        inWord = false;
                    }
                    if (!words.isEmpty()) {
                        out.add(words);
                        words = new ArrayList<>();
                    }
                } else {
                    w.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(w.toString());
            }
            if (!words.isEmpty()) {
                out.add(words);
            }
        }
        return out;
    }

    @Test
    void theShellParserSeesCommandsAndOptions() throws IOException {
        assertEquals(List.of(List.of("scripts/train.sh", "--epochs", "5"), List.of("echo", "a b")),
                commands("scripts/train.sh \\\n  --epochs 5   # five\necho 'a b'\n"));
        assertEquals(List.of(), check(List.of("scripts/train.sh", "--epochs", "5", "--out", "out/try")));
        assertFalse(check(List.of("scripts/train.sh", "--epochz", "5")).isEmpty(), "an unknown train option");
        assertFalse(check(List.of("scripts/run.sh", "predict", "--data", "x")).isEmpty(), "predict has no --data");
        assertFalse(check(List.of("scripts/nothing.sh")).isEmpty(), "a missing script");
        assertFalse(check(List.of("spark-submit", "--class", MAIN, "x.jar", "evaluate", "--lr", "1")).isEmpty());
        assertEquals(List.of(), check(Arrays.asList("scripts/submit.sh", "--master", "local", "--", "--epochs", "5")));
    }

    private static boolean has(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command with {@code stdin} (or none); returns its output when it fails, "" when it succeeds. */
    private static String run(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " finishes");
        return p.exitValue() == 0 ? "" : out.isEmpty() ? "exit " + p.exitValue() : out;
    }
}
