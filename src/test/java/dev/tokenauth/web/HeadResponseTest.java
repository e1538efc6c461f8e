package dev.tokenauth.web;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletResponse;

class HeadResponseTest {

    private final HttpServletResponse response = mock(HttpServletResponse.class);

    @Test
    void finishGivesTheLengthInBytesOfWhatTheWriterWroteAndNothingReachesTheClient() throws Exception {
        when(response.getCharacterEncoding()).thenReturn("UTF-8");
        HeadResponse head = new HeadResponse(response);

        head.setStatus(200);
        head.getWriter().write("{\"user\":\"zoë\"}");
        head.finish();

        verify(response).setStatus(200);
        verify(response).setContentLengthLong("{\"user\":\"zoë\"}".getBytes(StandardCharsets.UTF_8).length);
        verify(response, never()).getWriter();
        verify(response, never()).getOutputStream();
    }

    @Test
    void finishCountsBytesWrittenToTheStreamToo() throws Exception {
        HeadResponse head = new HeadResponse(response);

        head.getOutputStream().write(new byte[1500], 0, 1200);
        head.getOutputStream().write('x');
        head.flushBuffer();
        head.finish();

        verify(response, never()).flushBuffer();
        verify(response).setContentLengthLong(1201);
        verify(response, never()).getOutputStream();
    }

    @Test
    void finishLeavesACommittedResponseAlone() {
        when(response.isCommitted()).thenReturn(true);

        new HeadResponse(response).finish();

        verify(response, never()).setContentLengthLong(org.mockito.ArgumentMatchers.anyLong());
    }
}
