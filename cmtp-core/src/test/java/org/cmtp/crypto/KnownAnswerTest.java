package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cmtp.vectors.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reproduces every crypto file of shared/vectors (made with libsodium 1.0.18). */
class KnownAnswerTest {

    private static final Ed25519KeyPair USER = Ed25519KeyPair.fromSeed(Vectors.hex("user_seed.hex"));
    private static final Ed25519KeyPair SERVER = Ed25519KeyPair.fromSeed(Vectors.hex("server_seed.hex"));

    @ParameterizedTest
    @ValueSource(strings = {"user", "server"})
    void keyPairFromSeedMatchesLibsodium(String who) {
        Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(Vectors.hex(who + "_seed.hex"));
        assertArrayEquals(Vectors.hex(who + "_ed25519_pk.hex"), pair.publicKey());
        assertArrayEquals(Vectors.hex(who + "_ed25519_sk.hex"), pair.secretKey());
        assertEquals(pair, Ed25519KeyPair.fromSecretKey(Vectors.hex(who + "_ed25519_sk.hex")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user", "server"})
    void convertedKeysMatchLibsodium(String who) {
        assertArrayEquals(Vectors.hex(who + "_curve25519_pk.hex"),
                BoxKeys.toX25519PublicKey(Vectors.hex(who + "_ed25519_pk.hex")));
        assertArrayEquals(Vectors.hex(who + "_curve25519_sk.hex"),
                BoxKeys.toX25519SecretKey(Vectors.hex(who + "_ed25519_sk.hex")));
    }

    @Test
    void messageSignatureIsReproducedAndVerifies() {
        byte[] message = Vectors.bytes("message.txt");
        byte[] expected = Vectors.hex("message.sig.hex");
        assertArrayEquals(expected, Signatures.sign(USER, message));
        assertArrayEquals(expected, Signatures.sign(Vectors.hex("user_ed25519_sk.hex"), message));
        assertTrue(Signatures.verify(USER.publicKey(), message, expected));
    }

    @Test
    void messageFileIsTheDocumentedText() {
        assertEquals("CMTP test vector: hello bob\n", Vectors.text("message.txt"));
    }

    @Test
    void sealedBoxOpensToMessageWithUserKeys() {
        byte[] sealed = Vectors.bytes("sealed.bin");
        assertArrayEquals(Vectors.hex("sealed.hex"), sealed);
        byte[] opened = SealedBox.open(sealed, Vectors.hex("user_curve25519_pk.hex"),
                Vectors.hex("user_curve25519_sk.hex"));
        assertArrayEquals(Vectors.bytes("message.txt"), opened);
        assertArrayEquals(Vectors.bytes("message.txt"), CryptoSystems.forVersion(1).open(sealed, USER));
    }

    @Test
    void sealedBoxDoesNotOpenWithServerKeys() {
        assertThrows(DecryptionFailedException.class, () -> CryptoSystems.forVersion(1)
                .open(Vectors.bytes("sealed.bin"), SERVER));
    }

    @Test
    void xzibitKeyIsScryptOfPasswordAndSalt() {
        assertArrayEquals(Vectors.hex("xzibit_key.hex"),
                Xzibit.deriveKey(password(), Vectors.hex("xzibit_salt.hex")));
    }

    @Test
    void xzibitIsReproducedFromPasswordSaltAndUserKeys() {
        Xzibit made = Xzibit.create(password(), USER, Vectors.hex("xzibit_salt.hex"));
        assertArrayEquals(Vectors.bytes("xzibit.bin"), made.toBytes());
        assertArrayEquals(Vectors.hex("xzibit.hex"), made.toBytes());
    }

    @Test
    void xzibitOpensToUserKeys() {
        Xzibit xzibit = Xzibit.parse(Vectors.bytes("xzibit.bin"));
        assertEquals(USER, xzibit.open(password()));
        assertEquals(USER, xzibit.open(Vectors.text("xzibit_password.txt").toCharArray()));
        assertArrayEquals(Vectors.hex("xzibit_salt.hex"), xzibit.salt());
    }

    @Test
    void xzibitRefusesAnotherPassword() {
        Xzibit xzibit = Xzibit.parse(Vectors.bytes("xzibit.bin"));
        WrongPasswordException e = assertThrows(WrongPasswordException.class,
                () -> xzibit.open("correct horse battery stapler".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "user"})
    void keyRepliesAreReproducedAndVerifyWithServerKey(String whose) {
        byte[] reply = Vectors.bytes("reply_keyrequest_" + whose + ".bin");
        byte[] key = Vectors.hex(whose + "_ed25519_pk.hex");
        assertEquals(102, reply.length);
        byte[] signature = Arrays.copyOfRange(reply, 37, 101);
        assertTrue(Signatures.verify(SERVER.publicKey(), key, signature));
        assertArrayEquals(reply, keyReply(key, Signatures.sign(SERVER, key)));
    }

    @Test
    void loginReplyIsXzibitSignedByServer() {
        byte[] reply = Vectors.bytes("reply_login.bin");
        byte[] xzibit = Vectors.bytes("xzibit.bin");
        assertArrayEquals(xzibit, Arrays.copyOf(reply, Xzibit.BYTES));
        byte[] signature = Arrays.copyOfRange(reply, Xzibit.BYTES, reply.length);
        Signatures.verifyOrThrow(SERVER.publicKey(), xzibit, signature);
        byte[] rebuilt = ByteBuffer.allocate(Xzibit.BYTES + Signatures.SIGNATURE_BYTES)
                .put(xzibit).put(Signatures.sign(SERVER, xzibit)).array();
        assertArrayEquals(reply, rebuilt);
    }

    @Test
    void keyNotAvailableSignatureIsReproduced() {
        byte[] signed = "KEYNOTAVAILABLE\0".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = Vectors.hex("sig_keynotavailable.hex");
        assertArrayEquals(expected, Signatures.sign(SERVER, signed));
        assertTrue(Signatures.verify(Vectors.hex("server_ed25519_pk.hex"), signed, expected));
    }

    /** u32 1 ‖ key ‖ \0 ‖ signature ‖ \0 (protocol section 4). */
    private static byte[] keyReply(byte[] key, byte[] signature) {
        return ByteBuffer.allocate(102).putInt(1).put(key).put((byte) 0)
                .put(signature).put((byte) 0).array();
    }

    private static byte[] password() {
        return Vectors.bytes("xzibit_password.txt");
    }
}
