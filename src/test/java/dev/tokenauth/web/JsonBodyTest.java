package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.json.JsonValue;

class JsonBodyTest {

    private static RequestRejected refused(String body) {
        return assertThrows(RequestRejected.class, () -> JsonBody.parseObject(body));
    }

    @Test
    void aFlatObjectIsReadWithItsFieldsInOrder() throws Exception {
        Map<String, JsonValue> fields = JsonBody.parseObject("{\"token\":\"t\",\"id\":7,\"admin\":true,"
                + "\"label\":null,\"scopes\":[\"read\",\"write\"]}");

        jakarta.json.JsonObjectBuilder object = JsonFactories.object();
        fields.forEach(object::add);
        assertEquals("{\"token\":\"t\",\"id\":7,\"admin\":true,\"label\":null,\"scopes\":[\"read\",\"write\"]}",
                object.build().toString());
    }

    @Test
    void aNumberLongerThanTheParserReadsIsA400NotAServerError() {
        RequestRejected e = refused("{\"id\":1" + "0".repeat(1200) + "}");
        assertEquals(400, e.status());
        assertEquals("Request body is not valid JSON.", e.getMessage());
    }

    @Test
    void aWholeNumberBeyondLongIsRefusedAsNotAWholeNumber() throws Exception {
        for (String n : new String[] {"9223372036854775808", "1e400", "-1e30", "1.5", "1e-9999"}) {
            JsonValue value = JsonBody.parseObject("{\"id\":" + n + "}").get("id");
            RequestRejected e = assertThrows(RequestRejected.class, () -> JsonBody.wholeNumber("id", value), n);
            assertEquals(400, e.status(), n);
            assertEquals("Field 'id' must be a whole number.", e.getMessage(), n);
        }
    }

    @Test
    void aHugeExponentIsRefusedQuickly() throws Exception {
        // A naive exact conversion of 1e999999999 would build a billion-digit number.
        JsonValue value = JsonBody.parseObject("{\"id\":1e999999999}").get("id");
        assertThrows(RequestRejected.class, () -> JsonBody.wholeNumber("id", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"text\"", "12", "true", "null"})
    void aBodyThatIsNotAnObjectIsRefused(String body) {
        RequestRejected e = refused(body);
        assertEquals(400, e.status());
        assertEquals("Request body must be a JSON object.", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\":1,}", "{\"a\":1} {}", "{\"a\":1}]", "{'a':1}", "{\"a\":tru}", "", " "})
    void anythingElseThatIsNotJsonIsRefusedAsSuch(String body) {
        RequestRejected e = refused(body);
        assertEquals(400, e.status());
        assertEquals("Request body is not valid JSON.", e.getMessage(), body);
    }

    @Test
    void aThousandLevelsOfArraysAreA400() {
        RequestRejected e = refused("[".repeat(1000) + "]".repeat(1000));
        assertEquals(400, e.status());
        assertEquals("Request body must be a JSON object.", e.getMessage());
    }

    @Test
    void deepNestingInsideAFieldIsRefusedBeforeItIsBuilt() {
        for (String value : new String[] {"[".repeat(1000) + "]".repeat(1000), "{\"b\":1}", "[[1]]", "[{}]",
                "{\"x\":".repeat(5000) + "1" + "}".repeat(5000), "[" + "[".repeat(100_000)}) {
            RequestRejected e = refused("{\"token\":" + value + "}");
            String shown = value.substring(0, Math.min(value.length(), 12));
            assertEquals(400, e.status(), shown);
            assertEquals(JsonBody.TOO_DEEP, e.getMessage(), shown);
        }
    }

    @Test
    void aFieldGivenTwiceIsRefusedWhicheverValueComesFirst() {
        RequestRejected e = refused("{\"token\": \"A\", \"token\": \"B\"}");
        assertEquals(400, e.status());
        assertEquals("Field 'token' is given more than once.", e.getMessage());
        assertEquals("Field 'id' is given more than once.", refused("{\"id\": 1, \"x\": 2, \"id\": 1}").getMessage());
    }

    @Test
    void aStringFieldOfAnotherTypeIsRefusedNamingIt() throws Exception {
        for (String value : new String[] {"1", "true", "null", "[\"a\"]"}) {
            JsonValue v = JsonBody.parseObject("{\"token\":" + value + "}").get("token");
            RequestRejected e = assertThrows(RequestRejected.class, () -> JsonBody.string("token", v));
            assertEquals("Field 'token' must be a string.", e.getMessage());
        }
    }
}
