package io.shardprop.job;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link of README.md and docs/*.md points to a file of the project, and a {@code #anchor} (on the
 * same page or on another .md page) to one of that page's headings, slugged as GitHub does. Links are relative
 * and stay inside the repository; no page names a folder of one machine.
 */
class DocLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void relativeLinksPointToFilesAndHeadings() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : DocBlocks.pages()) {
            for (String target : links(page)) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue;  // https:, mailto:
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path to = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = DocBlocks.ROOT.relativize(page) + ": (" + target + ")";
                if (file.startsWith("/")) {
                    broken.add(where + ": an absolute path");
                } else if (!to.toAbsolutePath().normalize().startsWith(DocBlocks.ROOT.toAbsolutePath().normalize())) {
                    broken.add(where + ": outside the repository");
                } else if (!Files.exists(to)) {
                    broken.add(where + ": no file " + to);
                } else if (anchor != null && to.toString().endsWith(".md") && !anchors(to).contains(anchor)) {
                    broken.add(where + ": no heading #" + anchor + " in " + to + " (has " + anchors(to) + ")");
                }
            }
        }
        assertTrue(checked > 20, checked + " links checked");
        assertTrue(broken.isEmpty(), String.join("\n", broken));
    }

    @Test
    void theDocsNameNoMachinesFolders() throws IOException {
        for (Path page : DocBlocks.pages()) {
            String text = Files.readString(page);
            assertTrue(!text.contains("/work/") && !text.contains("/root/"), page + " names a folder of one machine");
        }
    }

    /** Link targets outside code blocks and inline code. */
    static List<String> links(Path page) throws IOException {
        List<String> out = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                code = !code;
                continue;
            }
            if (code) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                code = !code;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (code || !m.matches()) {
                continue;
            }
            String slug = m.group(1).toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            out.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return out;
    }
}
