package org.cmtp.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The admin REST API as an operator's script would call it: HTTP Basic, JSON. */
public final class AdminClient {

    private final URI base;
    private final String authorization;
    private final boolean requestedBy;
    private final HttpClient http = TestHttp.newClient();

    public AdminClient(URI base, String user, String password) {
        this(base, user, password, true);
    }

    private AdminClient(URI base, String user, String password, boolean requestedBy) {
        this.base = base;
        this.requestedBy = requestedBy;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static AdminClient admin(URI base) {
        return new AdminClient(base, "admin", TestServer.adminPassword());
    }

    public static AdminClient anonymous(URI base) {
        return new AdminClient(base, null, null);
    }

    /** The admin, but without the {@code X-Requested-By} header, as a cross-site request from a browser would be. */
    public static AdminClient adminWithoutRequestedBy(URI base) {
        return new AdminClient(base, "admin", TestServer.adminPassword(), false);
    }

    public Reply get(String path) throws IOException {
        return send(request(path).GET());
    }

    public Reply post(String path, String json) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply patch(String path, String json) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply put(String path, String json) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply delete(String path) throws IOException {
        return send(request(path).DELETE());
    }

    public Reply postEmpty(String path) throws IOException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public byte[] getBytes(String path) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Creates an account with a password, failing the test when the server refuses. */
    public JsonObject createAccount(String name, String password) throws IOException {
        Reply reply = post("/api/accounts", Json.createObjectBuilder().add("name", name).add("password", password)
                .build().toString());
        if (reply.status() != 201) {
            throw new IOException("creating " + name + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().asJsonObject();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (requestedBy) {
            builder.header("X-Requested-By", "cmtp"); // state-changing calls need it (against cross-site requests)
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public record Reply(int status, String contentType, String body, HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonStructure json() {
            return Json.createReader(new StringReader(body)).read();
        }
    }
}
