package org.cmtp.cli;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The CLI's client of the server's user API (README "Users"): JSON over HTTPS (its
 * certificate pinned on first use, {@link CertificatePin}), a bearer token once signed in. Every refusal becomes a {@link FailureException} whose one
 * line names the request, the status and the server's own words (its problem detail).
 */
final class UserApi {

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final Duration timeout;
    private final KnownServers known;
    private final CertificatePin pin;

    UserApi(URI base, String token, Duration timeout, KnownServers known) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.known = known;
        this.pin = new CertificatePin(base.toString(), known);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).sslContext(pin.sslContext()).build();
    }

    UserApi withToken(String newToken) {
        return new UserApi(base, newToken, timeout, known);
    }

    URI base() {
        return base;
    }

    static String encode(String pathPart) {
        return URLEncoder.encode(pathPart, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A page of the holder's messages and the total count. */
    record Page(JsonArray messages, long total) {
    }

    byte[] xzibitReply(String account) throws IOException, FailureException {
        return send("GET", "/api/user/xzibit/" + encode(account), null, null).body();
    }

    JsonObject challenge(String address) throws IOException, FailureException {
        return json(send("POST", "/api/user/signin/challenge", "application/json",
                Json.createObjectBuilder().add("address", address).build().toString().getBytes(StandardCharsets.UTF_8)))
                .asJsonObject();
    }

    JsonObject signIn(String account, String challenge, String signatureHex) throws IOException, FailureException {
        return json(send("POST", "/api/user/signin", "application/json", Json.createObjectBuilder()
                .add("account", account).add("challenge", challenge).add("signature", signatureHex).build().toString()
                .getBytes(StandardCharsets.UTF_8))).asJsonObject();
    }

    Page messages(int offset, int limit) throws IOException, FailureException {
        HttpResponse<byte[]> response = send("GET", "/api/user/messages?offset=" + offset + "&limit=" + limit, null, null);
        long total = response.headers().firstValue("X-Total-Count").map(Long::parseLong).orElse(-1L);
        return new Page(json(response).asJsonArray(), total);
    }

    JsonObject message(long id) throws IOException, FailureException {
        return json(send("GET", "/api/user/messages/" + id, null, null)).asJsonObject();
    }

    byte[] raw(long id) throws IOException, FailureException {
        return send("GET", "/api/user/messages/" + id + "/raw", null, null).body();
    }

    /** What one {@code GET /api/user/messages/raw?ids=…} gave: stored bytes by id, and the ids to ask again. */
    record RawBatch(java.util.Map<Long, byte[]> messages, java.util.List<Long> missing, java.util.List<Long> later) {
    }

    /** The stored bytes of several messages in one request (at most 100 ids, README "Users"). */
    RawBatch raw(java.util.List<Long> ids) throws IOException, FailureException {
        StringBuilder list = new StringBuilder();
        ids.forEach(id -> list.append(list.length() == 0 ? "" : ",").append(id));
        JsonObject answer = json(send("GET", "/api/user/messages/raw?ids=" + list, null, null)).asJsonObject();
        java.util.Map<Long, byte[]> messages = new java.util.LinkedHashMap<>();
        try {
            for (var message : answer.getJsonArray("messages")) {
                messages.put(message.asJsonObject().getJsonNumber("id").longValue(),
                        java.util.Base64.getDecoder().decode(message.asJsonObject().getString("raw")));
            }
            return new RawBatch(messages, numbers(answer.getJsonArray("missing")), numbers(answer.getJsonArray("later")));
        } catch (RuntimeException e) {
            throw new FailureException("the server's batch of messages is not as README \"Users\" says: " + e);
        }
    }

    private static java.util.List<Long> numbers(JsonArray array) {
        return array == null ? java.util.List.of()
                : array.stream().map(v -> ((jakarta.json.JsonNumber) v).longValue()).toList();
    }

    void mark(long id, boolean read) throws IOException, FailureException {
        send("PATCH", "/api/user/messages/" + id, "application/json",
                ("{\"read\":" + read + "}").getBytes(StandardCharsets.UTF_8));
    }

    void delete(long id) throws IOException, FailureException {
        send("DELETE", "/api/user/messages/" + id, null, null);
    }

    JsonArray sessions() throws IOException, FailureException {
        return json(send("GET", "/api/user/sessions", null, null)).asJsonArray();
    }

    void revoke(String sessionId) throws IOException, FailureException {
        send("DELETE", "/api/user/sessions/" + encode(sessionId), null, null);
    }

    void replaceXzibit(byte[] xzibit) throws IOException, FailureException {
        send("PUT", "/api/user/xzibit", "application/octet-stream", xzibit);
    }

    /** The bound key of {@code address}, or null when the server has none (404). */
    JsonObject key(String address) throws IOException, FailureException {
        HttpResponse<byte[]> response = exchange("GET", "/api/user/keys/" + encode(address), null, null);
        if (response.statusCode() == 404) {
            return null;
        }
        return json(check("GET", "/api/user/keys/…", response)).asJsonObject();
    }

    /** {@code {maxMessageSize, maxAttachments}}: what a sealed message may be. */
    JsonObject limits() throws IOException, FailureException {
        return json(send("GET", "/api/user/messages/limits", null, null)).asJsonObject();
    }

    /**
     * Long poll: the messages newer than {@code after} (oldest first) as soon as there are any,
     * else an empty array after {@code seconds}.
     */
    JsonArray waitForMail(long after, int seconds) throws IOException, FailureException {
        String path = "/api/user/messages/wait?after=" + after + "&timeout=" + seconds;
        return json(check("GET", path, exchange("GET", path, null, null, timeout.plusSeconds(seconds)))).asJsonArray();
    }

    JsonObject submit(byte[] message) throws IOException, FailureException {
        return json(send("POST", "/api/user/messages", "application/octet-stream", message)).asJsonObject();
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body)
            throws IOException, FailureException {
        return check(method, path, exchange(method, path, contentType, body));
    }

    private HttpResponse<byte[]> exchange(String method, String path, String contentType, byte[] body)
            throws IOException, FailureException {
        return exchange(method, path, contentType, body, timeout);
    }

    private HttpResponse<byte[]> exchange(String method, String path, String contentType, byte[] body,
                                          Duration requestTimeout) throws IOException, FailureException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            if (pin.mismatch() != null) {
                throw pin.mismatch();
            }
            throw new IOException(base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private HttpResponse<byte[]> check(String method, String path, HttpResponse<byte[]> response) throws FailureException {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response;
        }
        String detail = "";
        try {
            detail = json(response).asJsonObject().getString("detail", "");
        } catch (RuntimeException | FailureException e) {
            // not a problem document: the status says it all
        }
        String hint = status == 401 && token != null ? " (sign in again: cmtp signin ADDRESS)" : "";
        throw new FailureException(base.resolve(path.replaceFirst("\\?.*", "")) + " " + method + ": " + status
                + (detail.isEmpty() ? "" : " " + detail) + hint);
    }

    private static JsonStructure json(HttpResponse<byte[]> response) throws FailureException {
        try {
            return Json.createReader(new StringReader(new String(response.body(), StandardCharsets.UTF_8))).read();
        } catch (JsonException e) {
            throw new FailureException("the server's answer is not JSON: " + e.getMessage());
        }
    }
}
