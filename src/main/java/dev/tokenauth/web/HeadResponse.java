package dev.tokenauth.web;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The answer to a HEAD: what the GET would answer, status and headers, without the body. The body's bytes are
 * counted, not sent, so that {@link #finish()} can give the GET's {@code Content-Length} (RFC 9110, 9.3.2).
 * Dropping the body here, rather than trusting the container to, keeps it out of every container alike.
 */
public final class HeadResponse extends HttpServletResponseWrapper {

    private final CountingStream body = new CountingStream();
    private PrintWriter writer;

    public HeadResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return body;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(body, Charset.forName(getCharacterEncoding())));
        }
        return writer;
    }

    @Override
    public void flushBuffer() {
        // Nothing is buffered for the client; committing now would send the headers before Content-Length.
    }

    /** Sets {@code Content-Length} to the length the body would have had; call once the answer is written. */
    public void finish() {
        if (writer != null) {
            writer.flush();
        }
        if (!isCommitted()) {
            setContentLengthLong(body.count);
        }
    }

    private static final class CountingStream extends ServletOutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("HEAD answers are written synchronously");
        }
    }
}
