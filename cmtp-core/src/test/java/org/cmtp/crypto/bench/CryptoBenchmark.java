package org.cmtp.crypto.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.BoxKeys;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.sodium.Libsodium;
import org.cmtp.crypto.SealedBox;
import org.cmtp.crypto.Signatures;
import org.cmtp.crypto.Xzibit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Our BouncyCastle-based crypto next to libsodium (1.0.18 via lazysodium/JNA), same
 * inputs, throughput in operations per second. Run with the {@code bench} profile of
 * this module (see docs/BENCHMARKS.md); {@code mvn verify} never runs it.
 *
 * <p>Method names are {@code operation_implementation} so the JMH table reads as pairs.
 * The libsodium figures include the JNA call and its copying of arrays in and out,
 * which is what a Java caller of libsodium would pay too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmark {

    private static final int ONE_KIB = 1024;
    private static final int ONE_MIB = 1024 * 1024;

    private Ed25519KeyPair signer;
    private byte[] signerSecretKey;
    private byte[] signerPublicKey;
    /** A typical signed thing: a status word and a 64-byte message hash. */
    private byte[] signed;
    private byte[] signature;

    private byte[] boxPublicKey;
    private byte[] boxSecretKey;
    private byte[] message1KiB;
    private byte[] sealed1KiB;
    private byte[] message1MiB;

    private byte[] password;
    private byte[] xzibit;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        signer = Ed25519KeyPair.fromSeed(seed);
        signerSecretKey = signer.secretKey();
        signerPublicKey = signer.publicKey();
        signed = new byte[8 + 64];
        random.nextBytes(signed);
        signature = Signatures.sign(signer, signed);

        boxPublicKey = BoxKeys.toX25519PublicKey(signerPublicKey);
        boxSecretKey = BoxKeys.toX25519SecretKey(signer);
        message1KiB = new byte[ONE_KIB];
        random.nextBytes(message1KiB);
        sealed1KiB = SealedBox.seal(message1KiB, boxPublicKey);
        message1MiB = new byte[ONE_MIB];
        random.nextBytes(message1MiB);

        password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        byte[] salt = new byte[Xzibit.SALT_BYTES];
        random.nextBytes(salt);
        xzibit = Xzibit.create(password, signer, salt).toBytes();
    }

    // --- sign ---------------------------------------------------------------------

    @Benchmark
    public byte[] sign_ours() {
        return Signatures.sign(signer, signed);
    }

    @Benchmark
    public byte[] sign_libsodium() {
        return Libsodium.signDetached(signed, signerSecretKey);
    }

    // --- verify -------------------------------------------------------------------

    @Benchmark
    public boolean verify_ours() {
        return Signatures.verify(signerPublicKey, signed, signature);
    }

    @Benchmark
    public boolean verify_libsodium() {
        return Libsodium.verifyDetached(signature, signed, signerPublicKey);
    }

    // --- sealed box, 1 KiB --------------------------------------------------------

    @Benchmark
    public byte[] seal1KiB_ours() {
        return SealedBox.seal(message1KiB, boxPublicKey);
    }

    @Benchmark
    public byte[] seal1KiB_libsodium() {
        return Libsodium.boxSeal(message1KiB, boxPublicKey);
    }

    @Benchmark
    public byte[] open1KiB_ours() {
        return SealedBox.open(sealed1KiB, boxPublicKey, boxSecretKey);
    }

    @Benchmark
    public byte[] open1KiB_libsodium() {
        return Libsodium.boxSealOpen(sealed1KiB, boxPublicKey, boxSecretKey);
    }

    // --- sealed box, 1 MiB, seal then open ------------------------------------------

    @Benchmark
    public byte[] sealOpen1MiB_ours() {
        return SealedBox.open(SealedBox.seal(message1MiB, boxPublicKey), boxPublicKey, boxSecretKey);
    }

    @Benchmark
    public byte[] sealOpen1MiB_libsodium() {
        return Libsodium.boxSealOpen(Libsodium.boxSeal(message1MiB, boxPublicKey), boxPublicKey, boxSecretKey);
    }

    // --- BLAKE2b-512 of 1 MiB (the MAIL receipt hash) -------------------------------

    @Benchmark
    public byte[] hash1MiB_ours() {
        return Blake2b.hash512(message1MiB);
    }

    @Benchmark
    public byte[] hash1MiB_libsodium() {
        return Libsodium.genericHash(64, message1MiB);
    }

    // --- xzibit open (scrypt N=16384 r=8 p=1, then ChaCha20-Poly1305) -----------------

    @Benchmark
    public Ed25519KeyPair xzibitOpen_ours() {
        return Xzibit.parse(xzibit).open(password);
    }

    @Benchmark
    public byte[] xzibitOpen_libsodium() {
        byte[] salt = Arrays.copyOfRange(xzibit, 4, 36);
        byte[] ciphertext = Arrays.copyOfRange(xzibit, 44, xzibit.length);
        byte[] key = Libsodium.scryptInteractive(password, salt);
        return Libsodium.aeadChaCha20Poly1305Decrypt(ciphertext, Arrays.copyOf(salt, 8), key);
    }
}
