package dev.tokenauth.it;

import java.io.IOException;
import java.io.StringReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * An HTTP client of the deployed application, as curl or a browser would be: optionally with a cookie jar
 * (a browser session), never following redirects.
 */
final class Api {

    private final URI base;
    private final HttpClient client;
    private final CookieManager cookies;

    private Api(URL base, CookieManager cookies) {
        this(base, cookies, null);
    }

    private Api(URL base, CookieManager cookies, SSLContext tls) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.cookies = cookies;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (cookies != null) {
            builder.cookieHandler(cookies);
        }
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /** A client without cookies, like curl without a cookie jar. */
    static Api client(URL base) {
        return new Api(base, null);
    }

    /**
     * A client without cookies that speaks HTTP/1.1 only, as curl does. The others let the JDK ask a plain-HTTP
     * server to upgrade to HTTP/2 (h2c), which Payara Micro once answered, for a large response (openapi.yaml),
     * with a broken frame; they keep the JDK's default because Payara answers a GET with a body over HTTP/1.1 with a
     * bare 400 of its own, before the application sees it, which the tests of 405 answers would meet.
     */
    static Api http11Client(URL base) {
        Api api = new Api(base, null);
        return new Api(api.base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build());
    }

    private Api(URI base, HttpClient client) {
        this.base = base;
        this.cookies = null;
        this.client = client;
    }

    /** A client that keeps cookies, like a browser or curl -b/-c. */
    static Api browser(URL base) {
        return new Api(base, new BrowserCookies());
    }

    /** The same browser (the same cookie jar) at another address: another node behind one balancer. */
    static Api browser(URL base, CookieManager cookies) {
        return new Api(base, cookies);
    }

    /** A browser of an HTTPS address whose server certificate {@code tls} trusts. */
    static Api browser(URL base, SSLContext tls) {
        return new Api(base, new BrowserCookies(), tls);
    }

    URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    CookieManager cookies() {
        return cookies;
    }

    Reply get(String path, String... headers) {
        return send("GET", path, BodyPublishers.noBody(), headers);
    }

    Reply post(String path, String body, String... headers) {
        return send("POST", path, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body), headers);
    }

    Reply postJson(String path, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return post(path, json, all);
    }

    Reply postForm(String path, String... fields) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            form.append(form.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return post(path, form.toString(), "Content-Type", "application/x-www-form-urlencoded");
    }

    Reply send(String method, String path, BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, body)
                .timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs this browser in; fails the test unless the login is accepted. */
    Api login(String username, String password) {
        Reply reply = postForm("login", "username", username, "password", password);
        if (reply.status() != 303) {
            throw new AssertionError("login of " + username + " answered " + reply.status() + ": " + reply.body());
        }
        return this;
    }

    /** A new token for the caller, by this client's session or by {@code token}; fails unless issued. */
    String createToken(String token) {
        Reply reply = token == null ? post("api/create_token", null) : post("api/create_token", null, auth(token));
        if (reply.status() != 200) {
            throw new AssertionError("create_token answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().getString("token");
    }

    static String[] auth(String token) {
        return new String[] {"Authorization", "Token " + token};
    }

    record Reply(int status, java.util.Map<String, List<String>> headers, String body) {

        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }

        List<String> allHeaders(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .toList();
        }

        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }
    }
}
