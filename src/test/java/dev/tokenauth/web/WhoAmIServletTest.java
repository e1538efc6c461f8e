package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** whoami answers with the caller's name, each user's answer made once, byte for byte what the JSON writer makes. */
class WhoAmIServletTest {

    private final RecordedResponse recorded = new RecordedResponse();
    private final HttpServletResponse response = recorded.response();
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final WhoAmIServlet servlet = new WhoAmIServlet();

    @BeforeEach
    void aGet() {
        when(request.getMethod()).thenReturn("GET");
    }

    @Test
    void getWhenAUserThenTheirNameWithLengthAndJsonType() throws Exception {
        when(request.getRemoteUser()).thenReturn("alice");

        servlet.service(request, response);

        verify(response).setStatus(200);
        assertEquals("application/json;charset=UTF-8", recorded.contentType());
        verify(response).setContentLength("{\"user\":\"alice\",\"success\":true}".length());
        assertEquals("{\"user\":\"alice\",\"success\":true}", recorded.body());
    }

    @Test
    void getWhenTheSameUserTwiceAndAnotherBetweenThenEachTheirOwnName() throws Exception {
        for (String user : List.of("alice", "bob", "alice")) {
            when(request.getRemoteUser()).thenReturn(user);
            recorded.clearBody();

            servlet.service(request, response);

            assertEquals("{\"user\":\"" + user + "\",\"success\":true}", recorded.body());
        }
    }

    @Test
    void getWhenANameNeedingEscapesThenTheBytesTheJsonWriterMakes() throws Exception {
        String user = "a\"b\\c\u00e9\u6f22\ud83d\ude00\u0001";
        when(request.getRemoteUser()).thenReturn(user);

        servlet.service(request, response);

        assertArrayEquals(writtenByJsonResponses(user), recorded.body().getBytes(StandardCharsets.UTF_8));
        assertEquals(user, recorded.json().getString("user"));
    }

    @Test
    void headWhenAUserThenTheGetsLengthWithoutABody() throws Exception {
        when(request.getMethod()).thenReturn("HEAD");
        when(request.getRemoteUser()).thenReturn("alice");

        servlet.service(request, response);

        verify(response).setStatus(200);
        verify(response).setContentLengthLong("{\"user\":\"alice\",\"success\":true}".length());
        assertEquals("", recorded.body());
    }

    @Test
    void getWhenAQueryThen400AndNoName() throws Exception {
        when(request.getRemoteUser()).thenReturn("alice");
        when(request.getQueryString()).thenReturn("user=bob");

        servlet.service(request, response);

        verify(response).setStatus(400);
        assertEquals("{\"msg\":\"This request takes no fields; 'user' is not read.\",\"success\":false}",
                recorded.body());
    }

    @Test
    void getWhenNoUserThen401NotLoggedIn() throws Exception {
        servlet.service(request, response);

        verify(response).setStatus(401);
        assertEquals("{\"msg\":\"Not logged in.\",\"success\":false}", recorded.body());
    }

    /** What {@link JsonResponses#success} writes for {@code user}, through a real writer. */
    private static byte[] writtenByJsonResponses(String user) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HttpServletResponse plain = mock(HttpServletResponse.class);
        when(plain.getWriter()).thenReturn(new PrintWriter(new java.io.OutputStreamWriter(bytes,
                StandardCharsets.UTF_8)));
        when(plain.getOutputStream()).thenReturn(new ServletOutputStream() {
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
        JsonResponses.success(plain, JsonFactories.object().add("user", user));
        return bytes.toByteArray();
    }
}
