package org.cmtp.crypto;

/** A message or xzibit names a crypto version this implementation does not know. */
public class UnsupportedCryptoVersionException extends CryptoException {

    private final long version;

    public UnsupportedCryptoVersionException(long version, String what) {
        super("unsupported crypto version " + version + " in " + what
                + " (supported: " + CryptoSystems.SUPPORTED_VERSIONS + ")");
        this.version = version;
    }

    /** The version number that was found. */
    public long version() {
        return version;
    }
}
