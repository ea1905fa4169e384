package org.cmtp.it.support;

import jakarta.json.Json;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain HTTP client of the user API, as another implementation would be: JSON and bytes,
 * a bearer token once signed in, and no {@code X-Requested-By} header (the user API needs none).
 */
public final class UserApiClient {

    private final HttpClient http = TestHttp.newClient();
    private final URI base;
    private final String token;

    public UserApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The session token this client sends, or null. */
    public String token() {
        return token;
    }

    public UserApiClient withToken(String token) {
        return new UserApiClient(base, token);
    }

    public Reply get(String path) throws IOException {
        return send(request(path).GET());
    }

    public Reply postJson(String path, String json) throws IOException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply postBytes(String path, byte[] body) throws IOException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply putBytes(String path, byte[] body) throws IOException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply patchJson(String path, String json) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply delete(String path) throws IOException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(150));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body(), response.headers().firstValue("X-Total-Count").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public record Reply(int status, byte[] bytes, String totalCount, String contentType) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonStructure json() {
            return Json.createReader(new StringReader(body())).read();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (contentType.contains("json") ? body() : bytes.length + " bytes");
        }
    }
}
