package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

class JsonFactoriesTest {

    /** A static factory call of jakarta.json.Json, outside comments. */
    private static final Pattern PER_CALL_LOOKUP = Pattern.compile("^(?!\\s*(\\*|//)).*\\bJson\\.create\\w*\\(");

    @Test
    void mainCodeNeverLooksTheJsonProviderUpPerCall() throws IOException {
        List<String> offenders;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            offenders = sources.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().filter(l -> PER_CALL_LOOKUP.matcher(l).find())
                            .map(l -> p + ": " + l.strip());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), offenders, "use JsonFactories, whose factories are made once");
    }

    @Test
    void whatTheFactoriesBuildIsWrittenAndReadBackAsJson() throws RequestRejected {
        JsonObject built = JsonFactories.object().add("user", JsonFactories.string("alice"))
                .add("id", JsonFactories.number(12)).add("tags", JsonFactories.array().add("ci")).build();
        StringWriter out = new StringWriter();
        JsonFactories.writer(out).writeObject(built);

        java.util.Map<String, JsonValue> read = JsonBody.parseObject(out.toString());

        assertEquals("{\"user\":\"alice\",\"id\":12,\"tags\":[\"ci\"]}", out.toString());
        assertEquals(built, JsonFactories.object().add("user", read.get("user")).add("id", read.get("id"))
                .add("tags", read.get("tags")).build());
        assertSame(JsonValue.ValueType.NUMBER, read.get("id").getValueType());
    }
}
