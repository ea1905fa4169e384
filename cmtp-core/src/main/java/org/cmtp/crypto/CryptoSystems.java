package org.cmtp.crypto;

/** The crypto systems this server speaks, looked up by their wire version number. */
public final class CryptoSystems {

    /** Shown in error messages. */
    static final String SUPPORTED_VERSIONS = "0 (plaintext), 1 (sealed box)";

    private CryptoSystems() {
    }

    /**
     * The system for a crypto version field.
     *
     * @throws UnsupportedCryptoVersionException for any version but 0 and 1
     */
    public static CryptoSystem forVersion(int version) {
        switch (version) {
            case 0:
                return PlaintextCryptoSystem.INSTANCE;
            case 1:
                return SealedBoxCryptoSystem.INSTANCE;
            default:
                throw new UnsupportedCryptoVersionException(Integer.toUnsignedLong(version), "message");
        }
    }

    /** True when {@link #forVersion(int)} knows {@code version}. */
    public static boolean isSupported(int version) {
        return version == 0 || version == 1;
    }
}
