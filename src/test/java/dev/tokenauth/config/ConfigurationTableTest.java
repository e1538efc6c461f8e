package dev.tokenauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The configuration table that operators read names every {@link Setting} once, under its environment variable and
 * with its default, and nothing else: it fails when the code and the documents drift apart.
 */
class ConfigurationTableTest {

    /** Where the table lives: the configuration document, or the README while it holds the table. */
    private static final List<Path> DOCUMENTS = List.of(Path.of("src/site/markdown/configuration.md"), Path.of("README.md"));

    /** A row: | `property` | `ENVIRONMENT_VARIABLE` | default | what |. */
    private static final Pattern ROW = Pattern.compile("^\\| `(tokenauth\\.[a-z.]+)` \\| `([A-Z_]+)` \\| ([^|]+) \\| (.+) \\|$");

    private record Row(String variable, String defaultCell, String what) {
    }

    private static Map<String, List<Row>> table() throws IOException {
        Path document = DOCUMENTS.stream().filter(Files::exists).findFirst().orElseThrow();
        Map<String, List<Row>> rows = new TreeMap<>();
        for (String line : Files.readAllLines(document)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new Row(m.group(2), m.group(3).strip(),
                        m.group(4).strip()));
            }
        }
        return rows;
    }

    @Test
    void everySettingHasExactlyOneRowWithItsEnvironmentVariableItsDefaultAndAMeaning() throws IOException {
        Map<String, List<Row>> table = table();
        for (Setting setting : Setting.values()) {
            List<Row> rows = table.getOrDefault(setting.property(), List.of());
            assertEquals(1, rows.size(), setting.property() + " should have one row in the configuration table");
            Row row = rows.get(0);
            assertEquals(setting.environmentVariable(), row.variable(), setting.property());
            String given = setting.defaultValue();
            if (given != null && !given.isEmpty()) {
                assertEquals("`" + given + "`", row.defaultCell(), setting.property() + "'s default");
            } else {
                assertTrue(!row.defaultCell().isEmpty(), setting.property() + " has no fixed default; the table should "
                        + "say what applies");
            }
            assertTrue(row.what().length() > 10, setting.property() + " should say what it does");
        }
    }

    @Test
    void theTableNamesNoSettingTheCodeDoesNotRead() throws IOException {
        List<String> known = java.util.Arrays.stream(Setting.values()).map(Setting::property).toList();
        for (String documented : table().keySet()) {
            assertTrue(known.contains(documented), documented + " is documented but no Setting reads it");
        }
    }
}
