package dev.tokenauth.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import dev.tokenauth.log.LogText;

/**
 * Posts deliveries with {@link HttpURLConnection}: every wait bounded (the connect timeout, and the read timeout for
 * each read of the answer), no redirect followed, no thread of its own (none outlives an undeploy; the JDK's
 * keep-alive cache closes idle connections itself). A 2xx answer is a delivery; anything else, an error or no
 * answer in time, a failed attempt.
 */
public final class HttpWebhookReceiver implements WebhookReceiver {

    /** The most of an answer's body read (then dropped): a receiver's long answer costs no more. */
    private static final int MOST_READ = 64 * 1024;

    private final URI url;
    private final WebhookSignature signature;
    private final int timeoutMillis;

    public HttpWebhookReceiver(URI url, WebhookSignature signature, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.signature = Objects.requireNonNull(signature, "signature");
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    @Override
    public Attempt post(Outbox.Event event) {
        byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
        HttpURLConnection http = null;
        try {
            http = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
            http.setConnectTimeout(timeoutMillis);
            http.setReadTimeout(timeoutMillis);
            http.setInstanceFollowRedirects(false);
            http.setUseCaches(false);
            http.setDoOutput(true);
            http.setRequestMethod("POST");
            // Not streamed: the JDK then sends a POST again, once, when the kept-alive connection it reused turns out
            // closed by the receiver ("Unexpected end of file from server"), which a streamed POST never is.
            http.setRequestProperty("Content-Type", "application/json");
            http.setRequestProperty("User-Agent", "tokenauth-webhook");
            http.setRequestProperty("X-Tokenauth-Event", event.type().eventName());
            http.setRequestProperty("X-Tokenauth-Delivery", event.eventId());
            http.setRequestProperty(WebhookSignature.HEADER, signature.of(body));
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            int status = http.getResponseCode();
            drain(status < 400 ? http.getInputStream() : http.getErrorStream(),
                    System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            return status >= 200 && status < 300 ? Attempt.ok() : Attempt.failed("HTTP " + status);
        } catch (SocketTimeoutException e) {
            return Attempt.failed("no answer within " + timeoutMillis + " ms");
        } catch (ConnectException e) {
            return Attempt.failed("connection refused");
        } catch (UnknownHostException e) {
            return Attempt.failed("unknown host");
        } catch (java.net.SocketException e) {
            // The JDK's own fixed phrases ("Connection reset", "Unexpected end of file from server"), never the URL.
            return Attempt.failed("SocketException: " + LogText.escape(String.valueOf(e.getMessage())));
        } catch (IOException | RuntimeException e) {
            // The class alone: an exception's message may repeat the URL, whose path can be the webhook's secret.
            return Attempt.failed(e.getClass().getSimpleName());
        } finally {
            if (http != null) {
                http.disconnect();
            }
        }
    }

    /**
     * Reads the answer's body (and drops it), so that the connection may be kept: at most {@link #MOST_READ} bytes
     * and until {@code deadline}, so that a receiver trickling a long body holds the sender no longer than that.
     */
    private static void drain(InputStream in, long deadline) throws IOException {
        if (in == null) {
            return;
        }
        try (in) {
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n; total < MOST_READ && System.nanoTime() < deadline && (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
    }

    @Override
    public String describe() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "HttpWebhookReceiver[" + describe() + "]";
    }
}
