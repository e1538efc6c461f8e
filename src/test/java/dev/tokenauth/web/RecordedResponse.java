package dev.tokenauth.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A response for unit tests that records what the code under test wrote: every status set, the headers (the last
 * value of each), the content type and the body, whether written as characters or bytes. It is a Mockito mock, so
 * tests may also verify calls on {@link #response()}.
 */
public final class RecordedResponse {

    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final List<Integer> statuses = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final StringWriter chars = new StringWriter();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private String contentType;

    public RecordedResponse() {
        try {
            // A new writer each time: the code under test closes the one it writes with.
            when(response.getWriter()).thenAnswer(inv -> new PrintWriter(chars, true));
            when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }
            });
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        doAnswer(inv -> statuses.add(inv.getArgument(0))).when(response).setStatus(anyInt());
        doAnswer(inv -> headers.put(inv.getArgument(0), inv.getArgument(1))).when(response).setHeader(anyString(), any());
        doAnswer(inv -> headers.put(inv.getArgument(0), inv.getArgument(1))).when(response).addHeader(anyString(), any());
        doAnswer(inv -> contentType = inv.getArgument(0)).when(response).setContentType(any());
        when(response.getHeader(anyString())).thenAnswer(inv -> headers.get(inv.<String>getArgument(0)));
        when(response.getStatus()).thenAnswer(inv -> statuses.isEmpty() ? 200 : statuses.get(statuses.size() - 1));
    }

    public HttpServletResponse response() {
        return response;
    }

    /** Every status set, in order; empty when none was. */
    public List<Integer> statuses() {
        return statuses;
    }

    /** The headers set, each with its last value, in the order first set. */
    public Map<String, String> headers() {
        return headers;
    }

    public String contentType() {
        return contentType;
    }

    /** What was written, as characters or as UTF-8 bytes. */
    public String body() {
        return chars.toString() + bytes.toString(StandardCharsets.UTF_8);
    }

    /** Forgets the body written so far, for a test that answers several requests with one response. */
    public void clearBody() {
        chars.getBuffer().setLength(0);
        bytes.reset();
    }

    public JsonObject json() {
        try (var reader = Json.createReader(new StringReader(body()))) {
            return reader.readObject();
        }
    }
}
