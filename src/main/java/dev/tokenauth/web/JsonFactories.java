package dev.tokenauth.web;

import java.io.Reader;
import java.io.Writer;
import java.util.Map;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * The application's JSON-P factories, made once. Each call of a static factory method of {@code jakarta.json.Json}
 * looks the provider up anew ({@code JsonProvider.provider()}, a {@code ServiceLoader} scan of the web
 * application's jars, under a lock of the jar file), which made every request wait on the others; the
 * {@code JsonProvider} javadoc says to keep the provider. Held in static fields, they live as long as the
 * application's class loader.
 */
public final class JsonFactories {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonWriterFactory WRITERS = PROVIDER.createWriterFactory(Map.of());
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

    private JsonFactories() {
    }

    public static JsonObjectBuilder object() {
        return BUILDERS.createObjectBuilder();
    }

    public static JsonArrayBuilder array() {
        return BUILDERS.createArrayBuilder();
    }

    public static JsonString string(String value) {
        return PROVIDER.createValue(value);
    }

    public static JsonNumber number(long value) {
        return PROVIDER.createValue(value);
    }

    public static JsonWriter writer(Writer out) {
        return WRITERS.createWriter(out);
    }

    static JsonParser parser(Reader in) {
        return PARSERS.createParser(in);
    }
}
