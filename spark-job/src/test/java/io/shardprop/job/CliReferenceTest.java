package io.shardprop.job;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/cli.md is what {@link CliReference} renders from the picocli model today (regenerate it with
 * {@code scripts/docs.sh}), and the rendering lists every command and every visible option of the model.
 */
class CliReferenceTest {

    static final Path CLI_MD = Path.of("..", "docs", "cli.md");

    @Test
    void docsCliMdIsUpToDate() throws Exception {
        String rendered = CliReference.render();
        assertTrue(Files.isRegularFile(CLI_MD), "docs/cli.md is missing: run scripts/docs.sh");
        String committed = Files.readString(CLI_MD);
        if (!committed.equals(rendered)) {
            String[] a = committed.split("\n", -1);
            String[] b = rendered.split("\n", -1);
            int line = 0;
            while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) {
                line++;
            }
            String was = line < a.length ? a[line] : "(end of file)";
            String now = line < b.length ? b[line] : "(end of file)";
            throw new AssertionError("docs/cli.md is stale: run scripts/docs.sh (first difference at line " + (line + 1)
                    + ":\n  docs/cli.md: " + was + "\n  rendered:    " + now + ")");
        }
    }

    /** Options built in code (as declarations generate them), not from annotated fields, are listed too. */
    @Test
    void optionsAddedToTheModelProgrammaticallyAreListed() {
        var root = new picocli.CommandLine(new Main());
        root.getSubcommands().get("train").getCommandSpec().addOption(picocli.CommandLine.Model.OptionSpec
                .builder("--zz-programmatic").paramLabel("Z").type(int.class).defaultValue("7")
                .description("Added in code | with a pipe (default: ${DEFAULT-VALUE}).").build());
        String md = CliReference.render(root);
        assertTrue(md.contains("| `--zz-programmatic` `Z` | `7` | Added in code \\| with a pipe (default: 7). |\n"), md);
    }

    @Test
    void theReferenceIsDeterministicAndCoversTheModel() {
        String once = CliReference.render();
        assertEquals(once, CliReference.render());
        assertFalse(once.contains("/work/") || once.contains(System.getProperty("user.dir")), "no absolute paths");
        var root = new picocli.CommandLine(new Main());
        for (var sub : root.getSubcommands().values()) {
            var spec = sub.getCommandSpec();
            assertTrue(once.contains("\n## " + spec.name() + "\n"), spec.name());
            for (var option : spec.options()) {
                if (!option.hidden()) {
                    assertTrue(once.contains("`" + option.longestName() + "`"), spec.name() + " " + option.longestName());
                }
            }
        }
    }
}
