package io.shardprop.job;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/performance.md is in the format scripts/bench.sh writes (through scripts/bench_doc.py): one region between
 * its markers, with the command line, machine and BLAS lines, whose tables are among those bench_doc.py renders,
 * with the same header rows; and bench_doc.py rewrites only that region (the figures of the README's recorded run,
 * src/test/resources/bench/figures-readme-run.json, rendered into a copy of the page, leave the rest as it was).
 */
class PerformanceDocTest {

    static final Path DOC = DocBlocks.ROOT.resolve("docs/performance.md");
    static final Path FIGURES = Path.of("src/test/resources/bench/figures-readme-run.json");
    static final String BEGIN = "<!-- bench.sh:begin";
    static final String END = "<!-- bench.sh:end -->";

    @Test
    void thePageIsInBenchShFormatAndOnlyItsRegionIsRewritten(@TempDir Path tmp) throws Exception {
        String page = Files.readString(DOC);
        assertEquals(1, count(page, BEGIN), "one begin marker");
        assertEquals(1, count(page, END), "one end marker");
        String region = page.substring(page.indexOf(BEGIN), page.indexOf(END));
        assertTrue(region.contains("\nCommand: `scripts/bench.sh"), "the command line");
        assertTrue(region.contains("\nMachine: ") && region.contains("\nBLAS: `"), "the machine and the BLAS");
        assertTrue(!region.matches("(?s).*\\b20\\d\\d-\\d\\d-\\d\\d\\b.*"), "no date");

        Assumptions.assumeTrue(python(), "python3 is not available");
        Path copy = Files.writeString(tmp.resolve("performance.md"), page);
        Process p = new ProcessBuilder("python3", DocBlocks.ROOT.resolve("scripts/bench_doc.py").toString(),
                "--figures", FIGURES.toString(), copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String rendered = Files.readString(copy);
        assertEquals(page.substring(0, page.indexOf(BEGIN)), rendered.substring(0, rendered.indexOf(BEGIN)),
                "the text before the region is kept");
        assertEquals(page.substring(page.indexOf(END)), rendered.substring(rendered.indexOf(END)),
                "the text after the region is kept");
        List<String> known = tables(rendered);
        for (String table : tables(page)) {
            assertTrue(known.contains(table), "a table bench_doc.py renders, with its header: " + table);
        }
    }

    /**
     * The README's results table is bench_doc.py's summary of the same run as docs/performance.md: one region, and
     * every figure in it stands in the page's region.
     */
    @Test
    void theReadmeTableComesFromThePagesRun() throws Exception {
        String readme = Files.readString(DocBlocks.ROOT.resolve("README.md"));
        String begin = "<!-- bench.sh:summary:begin";
        String end = "<!-- bench.sh:summary:end -->";
        assertEquals(1, count(readme, begin), "one summary region");
        assertEquals(1, count(readme, end), "one summary region");
        String summary = readme.substring(readme.indexOf(begin), readme.indexOf(end));
        String page = Files.readString(DOC);
        String region = page.substring(page.indexOf(BEGIN), page.indexOf(END));
        java.util.regex.Matcher figures = java.util.regex.Pattern.compile("\\| ([0-9][0-9., %]*?) (?=[|/])")
                .matcher(summary);
        int n = 0;
        while (figures.find()) {
            assertTrue(region.contains("| " + figures.group(1).trim() + " |"), "from the page's run: " + figures.group(1));
            n++;
        }
        assertTrue(n >= 8, n + " figures");
        assertTrue(summary.contains(region.substring(region.indexOf("Command: ") + 9, region.indexOf("  \n"))),
                "the same command line");
    }

    /** "### title | header row" of each table of the region. */
    static List<String> tables(String page) {
        String[] lines = page.substring(page.indexOf(BEGIN), page.indexOf(END)).split("\n");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("### ")) {
                int j = i + 1;
                while (j < lines.length && !lines[j].startsWith("| ")) {
                    j++;
                }
                String header = j < lines.length ? lines[j].replaceAll("PyTorch [^|]*\\(.*?\\)", "PyTorch …") : "";
                out.add(lines[i] + " " + header.replaceAll("\\d+ (epochs|threads)", "N $1"));
            }
        }
        return out;
    }

    private static int count(String s, String what) {
        return s.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static boolean python() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
