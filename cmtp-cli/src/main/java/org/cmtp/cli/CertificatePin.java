package org.cmtp.cli;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust on first use for the user API's HTTPS certificate, as for its server key: most
 * servers present a certificate made on their first start that no authority signed, so
 * the CLI remembers the SHA-256 fingerprint the server showed the first time (in
 * {@link KnownServers}) and refuses any other afterwards, naming both. The host name is not
 * checked: the pin is stronger than a name, and a self-signed certificate names the mail
 * domain, not the address the user dials.
 */
final class CertificatePin extends X509ExtendedTrustManager {

    private final String api;
    private final KnownServers known;
    /** Set when the server presented another certificate than the pinned one. */
    private volatile FailureException mismatch;

    CertificatePin(String api, KnownServers known) {
        this.api = api;
        this.known = known;
    }

    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no TLS", e);
        }
    }

    /** The refusal of the last handshake, if the certificate did not match the pin. */
    FailureException mismatch() {
        return mismatch;
    }

    /** {@code AB:CD:…}, the form the server logs and browsers show. */
    static String fingerprint(X509Certificate certificate) throws CertificateException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new CertificateException(e);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        String presented = fingerprint(chain[0]);
        try {
            known.checkCertificate(api, presented);
        } catch (FailureException e) {
            mismatch = e;
            throw new CertificateException(e.getMessage());
        } catch (IOException e) {
            throw new CertificateException("cannot read or write " + known.file() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the CLI is no TLS server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the CLI is no TLS server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the CLI is no TLS server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
