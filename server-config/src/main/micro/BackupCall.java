import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What {@code ./cmtp-server backup} and {@code restore} need beyond the shell (README
 * "Operations: backup and restore", ADR 0034), on a plain JRE:
 * <pre>
 *   BackupCall start  BASE-URL KEYSTORE PASSWORD-FILE      prints: id, database, path (or -)
 *   BackupCall finish BASE-URL KEYSTORE PASSWORD-FILE ID
 *   BackupCall unzip  ZIP DIR                              H2's BACKUP TO archive into DIR
 * </pre>
 * The admin password comes from CMTP_ADMIN_PASSWORD (not the command line, which ps shows).
 * The server is trusted by its own certificate, the first of the key store's entry: the
 * same machine's server, whatever names the certificate carries.
 */
public final class BackupCall {

    public static void main(String[] args) throws Exception {
        try {
            switch (args.length > 0 ? args[0] : "") {
                case "start" -> start(args);
                case "finish" -> finish(args);
                case "unzip" -> unzip(Path.of(args[1]), Path.of(args[2]));
                default -> throw new IllegalArgumentException("usage: BackupCall start|finish|unzip ...");
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("cmtp-server: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void start(String[] args) throws Exception {
        String body = post(args, "api/backup");
        System.out.println(field(body, "id"));
        System.out.println(field(body, "database"));
        String path = field(body, "path");
        System.out.println(path == null ? "-" : path);
    }

    private static void finish(String[] args) throws Exception {
        if (!args[4].matches("[0-9a-f]{1,32}")) {
            throw new IllegalArgumentException("not a backup id: " + args[4]);
        }
        post(args, "api/backup/" + args[4] + "/finish");
    }

    private static String post(String[] args, String path) throws Exception {
        String password = System.getenv("CMTP_ADMIN_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("set CMTP_ADMIN_PASSWORD to the admin password: backup asks the running server");
        }
        // the certificate is pinned below: its names need not match the address dialled
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(Path.of(args[2]), Path.of(args[3])))
                .connectTimeout(Duration.ofSeconds(30)).build();
        URI uri = URI.create(args[1]).resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
                .header("X-Requested-By", "cmtp-server backup")
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach the running server at " + uri + " (is it running with these CMTP_* settings?): " + e, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static SSLContext trusting(Path keyStore, Path passwordFile) throws Exception {
        char[] password = Files.readString(passwordFile).trim().toCharArray();
        KeyStore own = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            own.load(in, password);
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        for (String alias : Collections.list(own.aliases())) {
            Certificate[] chain = own.getCertificateChain(alias);
            if (chain != null && chain.length > 0) {
                trusted.setCertificateEntry(alias, chain[0]);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A string field of the server's flat JSON answer (null when it is null or absent). */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\/", "/").replace("\\\\", "\\") : null;
    }

    /** Only plain file names (H2 writes cmtp.mv.db): nothing in the archive may name a path elsewhere. */
    private static void unzip(Path zip, Path dir) throws IOException {
        int files = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (!entry.getName().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    throw new IOException(zip + " holds " + entry.getName() + ", which is not a database file name");
                }
                Files.copy(in, dir.resolve(entry.getName()), StandardCopyOption.REPLACE_EXISTING);
                files++;
            }
        }
        if (files == 0) {
            throw new IOException(zip + " holds no database file");
        }
    }
}
