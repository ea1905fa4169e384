package org.cmtp.sodium;

import com.goterl.lazysodium.LazySodiumJava;
import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;

/**
 * Real libsodium (the 1.0.18 build bundled in lazysodium-java), called through its raw
 * JNA bindings, as the reference our pure-Java code is checked against. Methods return
 * null where libsodium returns an error, so tests can assert that both sides refuse.
 */
public final class Libsodium {

    public static final SodiumJava NATIVE = load();

    /** libsodium's crypto_pwhash_scryptsalsa208sha256 INTERACTIVE limits (N=16384, r=8, p=1). */
    public static final long SCRYPT_OPSLIMIT_INTERACTIVE = 524288L;
    public static final long SCRYPT_MEMLIMIT_INTERACTIVE = 16777216L;

    private Libsodium() {
    }

    private static SodiumJava load() {
        // BUNDLED_ONLY: test against the library in the jar, never a system one.
        SodiumJava sodium = new SodiumJava(LibraryLoader.Mode.BUNDLED_ONLY);
        new LazySodiumJava(sodium); // runs sodium_init()
        return sodium;
    }

    public static byte[][] signSeedKeypair(byte[] seed) {
        byte[] pk = new byte[32];
        byte[] sk = new byte[64];
        check(NATIVE.crypto_sign_seed_keypair(pk, sk, seed), "crypto_sign_seed_keypair");
        return new byte[][] {pk, sk};
    }

    public static byte[] signDetached(byte[] message, byte[] secretKey) {
        byte[] signature = new byte[64];
        check(NATIVE.crypto_sign_detached(signature, null, message, message.length, secretKey),
                "crypto_sign_detached");
        return signature;
    }

    public static boolean verifyDetached(byte[] signature, byte[] message, byte[] publicKey) {
        return NATIVE.crypto_sign_verify_detached(signature, message, message.length, publicKey) == 0;
    }

    public static byte[] pkToCurve25519(byte[] ed25519PublicKey) {
        byte[] out = new byte[32];
        return NATIVE.crypto_sign_ed25519_pk_to_curve25519(out, ed25519PublicKey) == 0 ? out : null;
    }

    public static byte[] skToCurve25519(byte[] ed25519SecretKey) {
        byte[] out = new byte[32];
        check(NATIVE.crypto_sign_ed25519_sk_to_curve25519(out, ed25519SecretKey),
                "crypto_sign_ed25519_sk_to_curve25519");
        return out;
    }

    public static byte[] boxSeal(byte[] message, byte[] x25519PublicKey) {
        byte[] sealed = new byte[message.length + 48];
        return NATIVE.crypto_box_seal(sealed, message, message.length, x25519PublicKey) == 0 ? sealed : null;
    }

    public static byte[] boxSealOpen(byte[] sealed, byte[] x25519PublicKey, byte[] x25519SecretKey) {
        if (sealed.length < 48) {
            return null;
        }
        byte[] message = new byte[sealed.length - 48];
        int rc = NATIVE.crypto_box_seal_open(message, sealed, sealed.length, x25519PublicKey, x25519SecretKey);
        return rc == 0 ? message : null;
    }

    public static byte[] genericHash(int outputLength, byte[] data) {
        byte[] out = new byte[outputLength];
        check(NATIVE.crypto_generichash(out, outputLength, data, data.length, null, 0), "crypto_generichash");
        return out;
    }

    /** The high-level scrypt with INTERACTIVE limits, as a libsodium client derives the xzibit key. */
    public static byte[] scryptInteractive(byte[] password, byte[] salt) {
        byte[] key = new byte[32];
        check(NATIVE.crypto_pwhash_scryptsalsa208sha256(key, key.length, password, password.length, salt,
                SCRYPT_OPSLIMIT_INTERACTIVE, SCRYPT_MEMLIMIT_INTERACTIVE), "crypto_pwhash_scryptsalsa208sha256");
        return key;
    }

    public static byte[] aeadChaCha20Poly1305Encrypt(byte[] message, byte[] nonce8, byte[] key) {
        byte[] out = new byte[message.length + 16];
        long[] outLength = new long[1];
        check(NATIVE.crypto_aead_chacha20poly1305_encrypt(out, outLength, message, message.length,
                new byte[0], 0, null, nonce8, key), "crypto_aead_chacha20poly1305_encrypt");
        return out;
    }

    public static byte[] aeadChaCha20Poly1305Decrypt(byte[] ciphertext, byte[] nonce8, byte[] key) {
        if (ciphertext.length < 16) {
            return null;
        }
        byte[] out = new byte[ciphertext.length - 16];
        long[] outLength = new long[1];
        int rc = NATIVE.crypto_aead_chacha20poly1305_decrypt(out, outLength, null, ciphertext,
                ciphertext.length, new byte[0], 0, nonce8, key);
        return rc == 0 ? out : null;
    }

    private static void check(int rc, String function) {
        if (rc != 0) {
            throw new AssertionError("libsodium " + function + " failed with " + rc);
        }
    }
}
