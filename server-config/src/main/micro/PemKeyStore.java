import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the operator's PEM certificate chain and private key (CMTP_TLS_CERT, CMTP_TLS_KEY)
 * into the PKCS#12 key store Payara Micro's HTTPS listener reads. Run by the launcher as
 * a single source file ({@code java PemKeyStore.java ...}) with nothing but the JDK, which
 * has no PEM reader of its own (keytool cannot import a private key).
 *
 * <pre>java PemKeyStore.java CERT.pem KEY.pem OUT.p12 ALIAS PASSWORD-FILE</pre>
 *
 * Keys: PKCS#8 ("BEGIN PRIVATE KEY", what certbot writes; RSA, EC or Ed25519) and PKCS#1
 * RSA ("BEGIN RSA PRIVATE KEY"). Exit status 2 with one line naming the problem otherwise.
 */
public final class PemKeyStore {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            fail("usage: java PemKeyStore.java CERT.pem KEY.pem OUT.p12 ALIAS PASSWORD-FILE");
        }
        Path certFile = Path.of(args[0]);
        Path keyFile = Path.of(args[1]);
        char[] password = Files.readString(Path.of(args[4]), StandardCharsets.UTF_8).strip().toCharArray();
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!belongTogether(key, chain.get(0))) {
            fail(keyFile + " is not the private key of the first certificate in " + certFile);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(args[3], key, password, chain.toArray(new Certificate[0]));
        try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
            store.store(out, password);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        Matcher m = BLOCK.matcher(read(file));
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(der(m))));
            }
        }
        if (chain.isEmpty()) {
            fail(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        Matcher m = BLOCK.matcher(read(file));
        while (m.find()) {
            switch (m.group(1)) {
                case "PRIVATE KEY":
                    return pkcs8(der(m), file);
                case "RSA PRIVATE KEY":
                    return pkcs8(rsaPkcs1ToPkcs8(der(m)), file);
                case "ENCRYPTED PRIVATE KEY":
                    fail(file + " is encrypted: give the key unencrypted (keep the file readable by the server's user only)");
                    break;
                case "EC PRIVATE KEY":
                    fail(file + " is an EC key in SEC1 form: convert it with 'openssl pkcs8 -topk8 -nocrypt -in "
                            + file + " -out key.pem'");
                    break;
                default:
                    // a certificate or parameters in the same file: look further
            }
        }
        fail(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        return null;
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        fail(file + " holds a private key of an algorithm this server cannot use (RSA, EC or Ed25519 expected)");
        return null;
    }

    /** PKCS#8 around a PKCS#1 RSA key: SEQUENCE { 0, SEQUENCE { rsaEncryption, NULL }, OCTET STRING key }. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = tlv(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(value, 0, out, 1 + length.length, n);
        return out;
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> "SHA256withRSA";
        };
        try {
            byte[] probe = "CMTP key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            signer.initVerify(certificate.getPublicKey());
            signer.update(probe);
            return signer.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String read(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            fail(file + " cannot be read by the server's user");
        }
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static byte[] der(Matcher block) {
        return Base64.getMimeDecoder().decode(block.group(2));
    }

    private static void fail(String message) {
        System.err.println("cmtp-server: " + message);
        System.exit(2);
    }
}
