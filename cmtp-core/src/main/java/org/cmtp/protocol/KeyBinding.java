package org.cmtp.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What an address-bound key reply signs (PROTOCOL.md §4a, extension {@code KEYBIND 1}):
 * the question together with the answer, so that no reply can be replayed for another
 * address.
 *
 * <pre>
 *   key reply:        "CMTP-KEYBIND-1" ‖ \0 ‖ user ‖ \0 ‖ domain ‖ \0 ‖ public key (32)
 *   KEYNOTAVAILABLE:  WORD ‖ \0 ‖ "CMTP-KEYBIND-1" ‖ \0 ‖ user ‖ \0 ‖ domain ‖ \0   (the §3 status, this as context)
 * </pre>
 *
 * {@code user} is the account exactly as sent; {@code domain} is
 * {@link DomainNames#canonical canonical}. For the server's own key both are empty.
 */
public final class KeyBinding {

    /** The label that opens every bound statement: a signature over it can mean nothing else. */
    public static final String LABEL = "CMTP-KEYBIND-1";
    /** The capability line a server adds to its OHAI reply. */
    public static final String CAPABILITY = "KEYBIND 1";

    private KeyBinding() {
    }

    /** @return the context of a bound status: {@code LABEL ‖ \0 ‖ user ‖ \0 ‖ canonical domain ‖ \0} */
    public static byte[] context(String user, String domain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        writeString(out, LABEL);
        writeString(out, user);
        writeString(out, DomainNames.canonical(domain));
        return out.toByteArray();
    }

    /** @return the bytes a bound key reply's signature covers: the context, then the key */
    public static byte[] bytesToSign(String user, String domain, byte[] publicKey) {
        byte[] context = context(user, domain);
        byte[] signed = new byte[context.length + publicKey.length];
        System.arraycopy(context, 0, signed, 0, context.length);
        System.arraycopy(publicKey, 0, signed, context.length, publicKey.length);
        return signed;
    }

    /** @return the bytes a bound {@code KEYNOTAVAILABLE} (or other status) signature covers */
    public static byte[] statusBytesToSign(StatusWord word, String user, String domain) {
        return SignedStatus.bytesToSign(word, context(user, domain));
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
