package dev.tokenauth.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte by byte on a socket: what the JDK's HttpClient refuses to send (a control character in a
 * header, headers over a server's limit), as an attacker's client sends it.
 */
final class RawHttp {

    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private RawHttp() {
    }

    /**
     * Sends {@code method} on {@code path} (relative to {@code base}) with the given header lines, each without its
     * CRLF, and {@code body}, over a connection of its own that the server closes after the answer.
     *
     * @return the answer as the server wrote it (status line, headers, body), read as ISO-8859-1 up to the end of
     *         the connection, or what came before the server reset it (a server may reset a connection whose request
     *         it did not read to the end)
     */
    static String send(URL base, String method, String path, byte[] body, byte[]... headerLines) {
        return sendFrom(null, base, method, path, body, headerLines);
    }

    /**
     * As {@link #send}, from the local address {@code from} (another loopback address such as 127.0.0.3, so that
     * what the server counts per client address starts afresh), or from any address when null.
     */
    static String sendFrom(String from, URL base, String method, String path, byte[] body, byte[]... headerLines) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + base.getPath() + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] line : headerLines) {
            request.writeBytes(line);
            request.writeBytes(crlf());
        }
        if (body.length > 0 || !method.equals("GET")) {
            request.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        request.writeBytes(crlf());
        request.writeBytes(body);

        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (Socket socket = new Socket()) {
            if (from != null) {
                socket.bind(new java.net.InetSocketAddress(from, 0));
            }
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
                in.transferTo(answer);
            } catch (SocketException reset) {
                // The server closed the connection with bytes of ours unread: what it answered before is kept.
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    static byte[] header(String nameAndValue) {
        return nameAndValue.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The status of an answer of {@link #send}, or 0 for none (a connection reset before any answer). */
    static int status(String answer) {
        if (!answer.startsWith("HTTP/1.1 ") || answer.length() < 12) {
            return 0;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    private static byte[] crlf() {
        return new byte[] {'\r', '\n'};
    }
}
