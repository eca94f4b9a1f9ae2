package io.shardprop.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the user documentation: README.md and docs/*.md (paths relative to spark-job/,
 * where Surefire runs). A block's language is the word after its opening fence; {@code text} marks console
 * output, not a command.
 */
public final class DocBlocks {

    /** The project's root, seen from spark-job/. */
    public static final Path ROOT = Path.of("..");

    /** One block: its page, the line of its opening fence (1-based), its language, its code, and the line before it. */
    public record Block(Path page, int line, String lang, String code, String lineBefore) {
        public String where() {
            return ROOT.relativize(page).toString().replace('\\', '/') + ":" + line;
        }
    }

    private DocBlocks() {
    }

    /** README.md, then docs/*.md in name order. */
    public static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    public static List<Block> all() {
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages()) {
            blocks.addAll(of(page));
        }
        return blocks;
    }

    public static List<Block> all(String lang) {
        return all().stream().filter(b -> b.lang().equals(lang)).toList();
    }

    /** The blocks of one page. Fences may be indented (inside list items); the indentation is removed. */
    public static List<Block> of(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String open = lines.get(i);
            String stripped = open.stripLeading();
            if (!stripped.startsWith("```")) {
                continue;
            }
            int indent = open.length() - stripped.length();
            String lang = stripped.substring(3).strip();
            StringBuilder code = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).strip().equals("```")) {
                String l = lines.get(j);
                code.append(l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.strip())
                        .append('\n');
                j++;
            }
            if (j == lines.size()) {
                throw new IllegalStateException(page + ":" + (i + 1) + ": a code block that is never closed");
            }
            String before = "";
            for (int k = i - 1; k >= 0; k--) {
                if (!lines.get(k).isBlank()) {
                    before = lines.get(k).strip();
                    break;
                }
            }
            blocks.add(new Block(page, i + 1, lang, code.toString(), before));
            i = j;
        }
        return blocks;
    }
}
