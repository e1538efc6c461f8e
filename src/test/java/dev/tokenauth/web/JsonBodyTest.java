package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import jakarta.json.JsonObject;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

class JsonBodyTest {

    /** A request whose body is {@code body}, sent with its length. */
    private static HttpServletRequest requestWith(String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getContentLengthLong()).thenReturn((long) bytes.length);
        when(request.getInputStream()).thenReturn(new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        });
        return request;
    }

    private static RequestRejected refused(String body) {
        return assertThrows(RequestRejected.class, () -> JsonBody.read(requestWith(body)));
    }

    @Test
    void readReturnsTheObjectSent() throws Exception {
        JsonObject body = JsonBody.read(requestWith("{\"token\":\"t\",\"id\":7}"));
        assertEquals("t", JsonBody.requiredString(body, "token"));
        assertEquals(7L, JsonBody.optionalLong(body, "id"));
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
            JsonObject body = JsonBody.read(requestWith("{\"id\":" + n + "}"));
            RequestRejected e = assertThrows(RequestRejected.class, () -> JsonBody.optionalLong(body, "id"), n);
            assertEquals(400, e.status(), n);
            assertEquals("Field 'id' must be a whole number.", e.getMessage(), n);
        }
    }

    @Test
    void aHugeExponentIsRefusedQuickly() throws Exception {
        // A naive exact conversion of 1e999999999 would build a billion-digit number.
        JsonObject body = JsonBody.read(requestWith("{\"id\":1e999999999}"));
        assertThrows(RequestRejected.class, () -> JsonBody.optionalLong(body, "id"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertEquals("Request body must be a JSON object.", refused("[1]").getMessage());
        assertEquals("Request body is not valid JSON.", refused("{\"a\":").getMessage());
    }
}
