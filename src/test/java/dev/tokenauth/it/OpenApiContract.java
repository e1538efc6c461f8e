package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.Yaml;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypePredicate;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.mediatype.impl.DefaultMediaTypeRegistration;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseParameter;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import io.vertx.openapi.validation.impl.ValidatableResponseImpl;

/**
 * The API's OpenAPI document as Vert.x's validator reads it (OpenAPI 3.1, JSON Schema 2020-12), and requests sent
 * to the running server with each request and its response checked against the document's operation: the
 * response's status must be declared, its declared headers present and valid, its media type declared and its
 * body valid against the schema; the request must be valid exactly when the test says it is.
 * <p>
 * The little glue here, and why: Vert.x looks a response's media type up by the whole Content-Type, so this
 * checks the charset of a JSON answer itself (it must be UTF-8, as the README says) and hands Vert.x the media type
 * alone; and {@code ValidatableResponse.create} lower-cases header names while the validator looks them up as the
 * document spells them, so the response is built with a case-insensitive header map instead.
 */
final class OpenApiContract implements AutoCloseable {

    private final Vertx vertx;
    private final RequestValidator requests;
    private final ResponseValidator responses;

    private OpenApiContract(Vertx vertx, OpenAPIContract contract) {
        this.vertx = vertx;
        this.requests = RequestValidator.create(vertx, contract);
        this.responses = ResponseValidator.create(vertx, contract);
    }

    /** The document {@code yaml}; fails the test if Vert.x finds it invalid as OpenAPI 3.1. */
    static OpenApiContract of(String yaml) {
        Vertx vertx = Vertx.vertx();
        try {
            Map<String, Object> document = new Yaml().load(yaml);
            // Pages, the metrics and the document itself are not JSON: their media types are declared, their bodies
            // not parsed.
            MediaTypeRegistry registry = MediaTypeRegistry.createDefault()
                    .register(new DefaultMediaTypeRegistration(
                            MediaTypePredicate.ofExactTypes("text/html", "application/yaml", "text/plain"),
                            ContentAnalyserFactory.noop()));
            OpenAPIContract contract = await(OpenAPIContract.builder(vertx)
                    .setContract(new JsonObject(document))
                    .mediaTypeRegistry(registry)
                    .build());
            return new OpenApiContract(vertx, contract);
        } catch (RuntimeException | Error e) {
            vertx.close();
            throw e;
        }
    }

    /** One request to send, and whether the document allows it. */
    static final class Call {
        final String operationId;
        final String method;
        final String path;
        String body;
        String contentType;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        boolean valid = true;

        private Call(String operationId, String method, String path) {
            this.operationId = operationId;
            this.method = method;
            this.path = path;
        }

        /** A request that the document does not allow (the server must refuse it, and the test says how). */
        Call invalid() {
            valid = false;
            return this;
        }

        Call json(String json) {
            return body("application/json", json);
        }

        Call form(String form) {
            return body("application/x-www-form-urlencoded", form);
        }

        Call body(String contentType, String body) {
            this.contentType = contentType;
            this.body = body;
            headers.put("Content-Type", contentType);
            return this;
        }

        Call token(String token) {
            return header("Authorization", "Token " + token);
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    static Call call(String operationId, String method, String path) {
        return new Call(operationId, method, path);
    }

    /** Sends {@code call} with {@code client}, checks the exchange against the document, and returns the reply. */
    Api.Reply send(Api client, Call call) {
        String[] headers = call.headers.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
        Api.Reply reply = client.send(call.method, call.path,
                call.body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(call.body), headers);
        String exchange = call.method + " " + call.path + " (" + call.operationId + ") answered " + reply.status()
                + " " + reply.headers() + " " + reply.body();

        String requestProblem = requestProblem(client.uri(call.path), call);
        assertEquals(call.valid, requestProblem == null, "the document should "
                + (call.valid ? "allow" : "refuse") + " the request: " + requestProblem + "; " + exchange);

        String responseProblem = responseProblem(call.operationId, reply);
        assertTrue(responseProblem == null, "the response disagrees with the document: " + responseProblem + "; "
                + exchange);
        return reply;
    }

    private String requestProblem(URI uri, Call call) {
        Map<String, RequestParameter> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                query.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8), new RequestParameterImpl(
                        nameAndValue.length < 2 ? "" : URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8)));
            }
        }
        Map<String, RequestParameter> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        call.headers.forEach((name, value) -> headers.put(name, new RequestParameterImpl(value)));
        RequestParameter body = new RequestParameterImpl(call.body == null ? null : Buffer.buffer(call.body));
        try {
            await(requests.validate(new ValidatableRequestImpl(Map.of(), headers, Map.of(), query, body,
                    call.contentType), call.operationId));
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private String responseProblem(String operationId, Api.Reply reply) {
        Map<String, ResponseParameter> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        reply.headers().forEach((name, values) -> headers.put(name, new RequestParameterImpl(
                values.size() == 1 ? values.get(0) : String.join(", ", values))));
        String contentType = reply.header("Content-Type").orElse(null);
        String mediaType = contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if ("application/json".equals(mediaType)
                && !contentType.replace(" ", "").toLowerCase(Locale.ROOT).equals("application/json;charset=utf-8")) {
            return "a JSON answer's Content-Type is " + contentType + ", not application/json;charset=UTF-8";
        }
        ResponseParameter body = new RequestParameterImpl(reply.body().isEmpty() ? null : Buffer.buffer(reply.body()));
        try {
            await(responses.validate(new ValidatableResponseImpl(reply.status(), headers, body, mediaType),
                    operationId));
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the validator did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
