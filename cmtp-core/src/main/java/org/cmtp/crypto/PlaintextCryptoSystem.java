package org.cmtp.crypto;

import java.util.Objects;

/**
 * Crypto version 0: no encryption. Used for the server's own notices (e.g. a bounce to
 * a sender, protocol section 7) and for tests; seal and open return copies, so callers
 * can treat both systems alike without aliasing surprises.
 */
final class PlaintextCryptoSystem implements CryptoSystem {

    static final PlaintextCryptoSystem INSTANCE = new PlaintextCryptoSystem();

    private PlaintextCryptoSystem() {
    }

    @Override
    public int version() {
        return 0;
    }

    @Override
    public byte[] seal(byte[] plaintext, byte[] recipientEd25519PublicKey) {
        return Objects.requireNonNull(plaintext, "plaintext").clone();
    }

    @Override
    public byte[] open(byte[] sealed, Ed25519KeyPair recipient) {
        return Objects.requireNonNull(sealed, "sealed").clone();
    }

    @Override
    public String toString() {
        return "CryptoSystem[0, plaintext]";
    }
}
