package org.cmtp.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * An xzibit: a user's Ed25519 key pair locked with the user's password, which the
 * server keeps and hands to anyone who sends {@code LOGIN} (its safety rests on the
 * password alone). Section 2 of the protocol fixes its 156 bytes:
 *
 * <pre>
 *   u32 version = 1 ‖ salt (32) ‖ u64 L = 112 ‖ ciphertext (L)
 * </pre>
 *
 * all big-endian, where the ciphertext is the original ChaCha20-Poly1305 (see
 * {@link OriginalChaCha20Poly1305}) of public key (32) ‖ secret key (64) under
 * key = scrypt(password, salt, N = 16384, r = 8, p = 1) and nonce = salt[0..8]. The
 * scrypt cost is libsodium's {@code crypto_pwhash_scryptsalsa208sha256} INTERACTIVE
 * limit: what the reference clients use, and the work factor that slows down anyone
 * guessing passwords for an xzibit they fetched.
 *
 * <p>Instances are immutable values holding only public data (salt and ciphertext).
 */
public final class Xzibit {

    public static final int VERSION = 1;
    public static final int SALT_BYTES = 32;
    public static final int CIPHERTEXT_BYTES = Ed25519KeyPair.PUBLIC_KEY_BYTES
            + Ed25519KeyPair.SECRET_KEY_BYTES + OriginalChaCha20Poly1305.TAG_BYTES;
    private static final int HEADER_BYTES = 4 + SALT_BYTES + 8;
    /** Total length of a version-1 xzibit: 156. */
    public static final int BYTES = HEADER_BYTES + CIPHERTEXT_BYTES;

    static final int SCRYPT_N = 16384;
    static final int SCRYPT_R = 8;
    static final int SCRYPT_P = 1;

    private static final String WRONG_PASSWORD =
            "xzibit does not open: the password is wrong, or the xzibit is damaged";

    private final byte[] salt;
    private final byte[] ciphertext;

    private Xzibit(byte[] salt, byte[] ciphertext) {
        this.salt = salt;
        this.ciphertext = ciphertext;
    }

    /** Locks {@code keyPair} with {@code password} under a fresh random salt. */
    public static Xzibit create(byte[] password, Ed25519KeyPair keyPair, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return create(password, keyPair, salt);
    }

    /**
     * Locks {@code keyPair} with {@code password} under the given 32-byte salt. The
     * result is deterministic; use a fresh random salt for every xzibit of real users.
     */
    public static Xzibit create(byte[] password, Ed25519KeyPair keyPair, byte[] salt) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPair, "keyPair");
        Lengths.require(salt, SALT_BYTES, "xzibit salt");
        byte[] key = deriveKey(password, salt);
        byte[] plaintext = new byte[Ed25519KeyPair.PUBLIC_KEY_BYTES + Ed25519KeyPair.SECRET_KEY_BYTES];
        System.arraycopy(keyPair.publicKeyView(), 0, plaintext, 0, Ed25519KeyPair.PUBLIC_KEY_BYTES);
        System.arraycopy(keyPair.secretKeyView(), 0, plaintext, Ed25519KeyPair.PUBLIC_KEY_BYTES,
                Ed25519KeyPair.SECRET_KEY_BYTES);
        try {
            byte[] ciphertext = OriginalChaCha20Poly1305.encrypt(key, nonceOf(salt), plaintext);
            return new Xzibit(salt.clone(), ciphertext);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** As {@link #create(byte[], Ed25519KeyPair, SecureRandom)}, the password as UTF-8. */
    public static Xzibit create(char[] password, Ed25519KeyPair keyPair, SecureRandom random) {
        byte[] encoded = utf8(password);
        try {
            return create(encoded, keyPair, random);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * The 32-byte xzibit key: scrypt(password, salt, N = 16384, r = 8, p = 1). This is
     * the slow step (tens of milliseconds and 16 MiB of memory), on purpose.
     */
    public static byte[] deriveKey(byte[] password, byte[] salt) {
        Objects.requireNonNull(password, "password");
        Lengths.require(salt, SALT_BYTES, "xzibit salt");
        return SCrypt.generate(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P,
                OriginalChaCha20Poly1305.KEY_BYTES);
    }

    /** Parses a whole array as one xzibit; see {@link #parse(byte[], int, int)}. */
    public static Xzibit parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "xzibit");
        return parse(bytes, 0, bytes.length);
    }

    /**
     * Parses the xzibit in exactly {@code length} bytes of {@code in} from {@code offset}.
     * Lengths are checked before anything is allocated from them.
     *
     * @throws UnsupportedCryptoVersionException if the version is not 1
     * @throws MalformedXzibitException          if it is truncated, L is not 112, or
     *                                           bytes follow the ciphertext
     */
    public static Xzibit parse(byte[] in, int offset, int length) {
        Lengths.requireRange(in, offset, length, "xzibit");
        ByteBuffer buffer = ByteBuffer.wrap(in, offset, length); // big-endian
        if (buffer.remaining() < HEADER_BYTES) {
            throw new MalformedXzibitException("xzibit too short: " + length
                    + " bytes, its header alone is " + HEADER_BYTES);
        }
        long version = Integer.toUnsignedLong(buffer.getInt());
        if (version != VERSION) {
            throw new UnsupportedCryptoVersionException(version, "xzibit");
        }
        byte[] salt = new byte[SALT_BYTES];
        buffer.get(salt);
        long declared = buffer.getLong();
        checkCiphertextLength(declared, buffer.remaining());
        byte[] ciphertext = new byte[CIPHERTEXT_BYTES];
        buffer.get(ciphertext);
        return new Xzibit(salt, ciphertext);
    }

    private static void checkCiphertextLength(long declared, int available) {
        String shown = Long.toUnsignedString(declared);
        if (declared != CIPHERTEXT_BYTES) {
            throw new MalformedXzibitException("xzibit ciphertext length L = " + shown
                    + ", a version-1 xzibit has L = " + CIPHERTEXT_BYTES);
        }
        if (available < CIPHERTEXT_BYTES) {
            throw new MalformedXzibitException("xzibit truncated: L = " + shown
                    + " but only " + available + " bytes follow the header");
        }
        if (available > CIPHERTEXT_BYTES) {
            throw new MalformedXzibitException("xzibit has " + (available - CIPHERTEXT_BYTES)
                    + " unexpected bytes after its ciphertext");
        }
    }

    /**
     * Unlocks the key pair.
     *
     * @throws WrongPasswordException   if the password is wrong or the xzibit was damaged
     *                                  (the AEAD cannot tell which)
     * @throws DecryptionFailedException if it opens but holds an inconsistent key pair
     */
    public Ed25519KeyPair open(byte[] password) {
        byte[] key = deriveKey(password, salt);
        byte[] plaintext = OriginalChaCha20Poly1305.decrypt(key, nonceOf(salt), ciphertext);
        Arrays.fill(key, (byte) 0);
        if (plaintext == null) {
            throw new WrongPasswordException(WRONG_PASSWORD);
        }
        try {
            return keyPairOf(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** As {@link #open(byte[])}, the password as UTF-8. */
    public Ed25519KeyPair open(char[] password) {
        byte[] encoded = utf8(password);
        try {
            return open(encoded);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** Checks that the public key stored first is the one inside the secret key. */
    private static Ed25519KeyPair keyPairOf(byte[] plaintext) {
        int pkBytes = Ed25519KeyPair.PUBLIC_KEY_BYTES;
        byte[] secretKey = Arrays.copyOfRange(plaintext, pkBytes, plaintext.length);
        try {
            boolean samePublicKey = Arrays.equals(plaintext, 0, pkBytes,
                    secretKey, Ed25519KeyPair.SEED_BYTES, Ed25519KeyPair.SECRET_KEY_BYTES);
            if (!samePublicKey) {
                throw new DecryptionFailedException(
                        "xzibit opens but its public key differs from the one in its secret key");
            }
            return Ed25519KeyPair.fromSecretKey(secretKey);
        } catch (IllegalArgumentException e) {
            throw new DecryptionFailedException("xzibit opens but holds an inconsistent key pair");
        } finally {
            Arrays.fill(secretKey, (byte) 0);
        }
    }

    /** The 156 bytes of this xzibit. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES)
                .putInt(VERSION)
                .put(salt)
                .putLong(CIPHERTEXT_BYTES)
                .put(ciphertext)
                .array();
    }

    /** The 32-byte salt (a copy). */
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Xzibit
                && Arrays.equals(salt, ((Xzibit) other).salt)
                && Arrays.equals(ciphertext, ((Xzibit) other).ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "Xzibit[version=" + VERSION + ", salt=" + java.util.HexFormat.of().formatHex(salt) + "]";
    }

    /** The ChaCha20 nonce is the first 8 bytes of the salt (the salt is fresh per xzibit). */
    private static byte[] nonceOf(byte[] salt) {
        return Arrays.copyOf(salt, OriginalChaCha20Poly1305.NONCE_BYTES);
    }

    private static byte[] utf8(char[] password) {
        Objects.requireNonNull(password, "password");
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
