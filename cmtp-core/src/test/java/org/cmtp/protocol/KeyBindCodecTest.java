package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.cmtp.wire.ProtocolException;

/** KEYBIND on the wire (PROTOCOL.md §4a): the command, the version-2 reply, and the exact bytes signed. */
class KeyBindCodecTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keyBindIsEncodedLikeKeyRequestAndDecodesBack() throws Exception {
        assertArrayEquals(ascii("KEYBIND\0bob\0example.org\0"), CommandEncoder.encode(new Command.KeyBind("bob", "example.org")));
        assertArrayEquals(ascii("KEYBIND\0\0"), CommandEncoder.encode(Command.KeyBind.forServer()));

        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(ascii("KEYBIND\0bob\0example.org\0KEYBIND\0\0KEYREQUEST\0bob\0example.org\0"));
        assertEquals(new Command.KeyBind("bob", "example.org"), decoder.next().orElseThrow());
        assertEquals(Command.KeyBind.forServer(), decoder.next().orElseThrow());
        assertEquals(new Command.KeyRequest("bob", "example.org"), decoder.next().orElseThrow());
    }

    @Test
    void aBadKeyBindFieldIsARecoverableErrorNamingKeyBind() {
        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(ascii("KEYBIND\0../etc\0example.org\0NOOP\0"));
        ProtocolException error = assertThrows(ProtocolException.class, decoder::next);
        assertEquals(true, error.isRecoverable());
        assertInstanceOf(Command.Noop.class, assertDoesNotThrowNext(decoder));
    }

    private static Command assertDoesNotThrowNext(CommandDecoder decoder) {
        try {
            return decoder.next().orElseThrow();
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void boundReplyIsVersionTwoWithTheLayoutOfAKeyReply() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        byte[] signature = new byte[64];
        Arrays.fill(signature, (byte) 9);
        byte[] wire = ReplyEncoder.encode(KeyReply.bound(key, signature));
        byte[] expected = ByteBuffer.allocate(102).putInt(2).put(key).put((byte) 0).put(signature).put((byte) 0).array();
        assertArrayEquals(expected, wire);

        ReplyDecoder decoder = new ReplyDecoder();
        decoder.expectReplyTo(new Command.KeyBind("bob", "example.org"));
        decoder.feed(wire);
        assertEquals(KeyReply.bound(key, signature), decoder.next().orElseThrow());
    }

    @Test
    void aVersionOneKeyReplyToKeyBindIsRefused() {
        byte[] unbound = ReplyEncoder.encode(new KeyReply(new byte[32], new byte[64]));
        ReplyDecoder decoder = new ReplyDecoder();
        decoder.expectReplyTo(new Command.KeyBind("bob", "example.org"));
        decoder.feed(unbound);
        ProtocolException refused = assertThrows(ProtocolException.class, decoder::next);
        assertEquals(false, refused.isRecoverable());
    }

    @Test
    void theSignedStatementIsLabelUserCanonicalDomainThenKey() {
        byte[] key = new byte[32];
        key[0] = 1;
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(ascii("CMTP-KEYBIND-1\0bob\0xn--bcher-kva.example\0"));
        expected.writeBytes(key);
        assertArrayEquals(expected.toByteArray(), new Command.KeyBind("bob", "Bücher.Example.").bytesToSign(key));
        byte[] serverKeyStatement = Command.KeyBind.forServer().bytesToSign(key);
        assertEquals(17 + 32, serverKeyStatement.length, "the server's own key: user and domain both empty");
        assertArrayEquals(ascii("CMTP-KEYBIND-1\0\0\0"), Arrays.copyOf(serverKeyStatement, 17));
        assertArrayEquals(ascii("KEYNOTAVAILABLE\0CMTP-KEYBIND-1\0Bob\0example.org\0"),
                KeyBinding.statusBytesToSign(StatusWord.KEYNOTAVAILABLE, "Bob", "EXAMPLE.org"));
    }

    @Test
    void domainsHaveOneCanonicalSpelling() {
        assertEquals("example.org", DomainNames.canonical("Example.ORG."));
        assertEquals("xn--bcher-kva.example", DomainNames.canonical("bücher.example"));
        assertEquals("a.test", DomainNames.canonical("a.test\u3002"));
        assertEquals("a.test", DomainNames.canonical("A\uFF0Etest"));
        assertEquals("a.test", DomainNames.canonical("a\uFF61test"));
        assertEquals("", DomainNames.canonical(""));
        String tooLong = "x".repeat(70) + ".Test";
        assertEquals(tooLong.toLowerCase(), DomainNames.canonical(tooLong + "."), "IDNA refuses it: lower case, no dot");
    }
}
