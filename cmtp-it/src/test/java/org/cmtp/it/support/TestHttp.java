package org.cmtp.it.support;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * HTTP clients for tests. The servers under test serve HTTPS with a certificate made on
 * their first start (self-signed, different for every data directory), so a test client
 * accepts any certificate; {@code HttpsIT} is the test that checks what a real client
 * sees (the fingerprint in the log, the CLI's pin).
 */
public final class TestHttp {

    private TestHttp() {
    }

    /** A client for {@code http://} and {@code https://} URLs of servers under test. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(trustingEveryCertificate())
                .build();
    }

    /** A TLS context that accepts any server certificate and host name: for tests only. */
    public static SSLContext trustingEveryCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEveryone()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Extended, so that JSSE does not wrap it in its host name check: the test servers'
     * certificates name the configured domain, not the loopback address the test dials.
     */
    private static final class TrustEveryone extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
