package org.cmtp.web.security;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * Logs the SHA-256 fingerprint of the certificate the HTTPS port presents, at start, so that
 * an operator can hand it to users, who compare it with what their client pins on first
 * use (the CLI shows the same form). The launcher names the key store in system
 * properties ({@code javax.net.ssl.keyStore}, {@code cmtp.https.certificate-alias});
 * without them (an EAR on another server) the server's own TLS setup applies and nothing
 * is logged here.
 */
@WebListener
public class HttpsCertificateLog implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(HttpsCertificateLog.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        // Not a setting of CmtpConfiguration: the launcher hands it over with the JVM's own
        // javax.net.ssl.* properties it belongs to, in its system properties file; no
        // operator sets it (README "HTTPS and admin networks").
        String alias = System.getProperty("cmtp.https.certificate-alias");
        String file = System.getProperty("javax.net.ssl.keyStore");
        if (alias == null || file == null) {
            return;
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            char[] password = System.getProperty("javax.net.ssl.keyStorePassword", "").toCharArray();
            KeyStore store = KeyStore.getInstance(System.getProperty("javax.net.ssl.keyStoreType", "PKCS12"));
            store.load(in, password);
            X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
            if (certificate == null) {
                LOG.warning(() -> "CMTP HTTPS key store " + file + " holds no certificate '" + alias + "'");
                return;
            }
            boolean selfSigned = certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
            LOG.info("CMTP HTTPS certificate SHA-256 fingerprint " + fingerprint(certificate.getEncoded())
                    + " (" + certificate.getSubjectX500Principal().getName()
                    + (selfSigned ? ", self-signed" : ", issued by " + certificate.getIssuerX500Principal().getName())
                    + ", valid until " + certificate.getNotAfter().toInstant() + ")");
        } catch (java.io.IOException | GeneralSecurityException | ClassCastException e) {
            LOG.warning(() -> "CMTP cannot read the HTTPS key store " + file + " to log its fingerprint: " + e);
        }
    }

    /** {@code AB:CD:...}: the form keytool, openssl and browsers show. */
    static String fingerprint(byte[] der) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}
