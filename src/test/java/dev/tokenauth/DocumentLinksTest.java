package dev.tokenauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every link between our documents resolves: the file exists, and a {@code #fragment} names a heading there (as
 * GitHub makes its anchors). Links to the web are not followed.
 */
class DocumentLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("webapp-config/README.md"),
                Path.of("bench/README.md")));
        try (Stream<Path> site = Files.list(Path.of("src/site/markdown"))) {
            site.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The lines outside fenced code blocks and without inline code. */
    private static List<String> prose(Path document) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(document)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && !line.startsWith("    ")) {
                lines.add(line.replaceAll("`[^`]*`", ""));
            }
        }
        return lines;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static Set<String> anchors(Path document) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(document)) {
            if (line.startsWith("```")) {
                code = !code;
            }
            Matcher m = HEADING.matcher(line);
            if (!code && m.matches()) {
                anchors.add(anchor(m.group(1)));
            }
        }
        return anchors;
    }

    @Test
    void everyLinkBetweenOurDocumentsResolvesToAFileAndAHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents()) {
            for (String line : prose(document)) {
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    checked++;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? document : document.resolveSibling(file).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(document + ": " + target + " (no such file)");
                    } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                        broken.add(document + ": " + target + " (no such heading)");
                    }
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(checked > 20, "only " + checked + " links checked: is the pattern still right?");
    }

    @Test
    void anchorsAreGitHubs() {
        assertEquals("guessing-is-throttled", anchor("Guessing is throttled"));
        assertEquals("container-security-constraints-and-roles-with-tokens",
                anchor("Container security: constraints and roles with tokens"));
        assertEquals("log-in-browser-users", anchor("Log in (browser users)"));
    }
}
