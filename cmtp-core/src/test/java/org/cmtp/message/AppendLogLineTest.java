package org.cmtp.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.cmtp.wire.StringTooLongException;
import org.cmtp.wire.TruncatedInputException;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;

class AppendLogLineTest {

    private static final String LINE = "2026-11-28T16:00:00Z hawaii.edu accepted from 192.0.2.7";

    @Test
    void storedFormIsTheOriginalWithTheLineAppendedToTheLog() {
        byte[] original = WireVectors.bytes("mail_stored.bin");
        int logEnd = 24 + "bob\0hawaii.edu\0alice\0hawaii.edu\0".length() + 38;
        byte[] line = (LINE + "\n").getBytes(StandardCharsets.UTF_8);

        byte[] stored = appended(original, LINE);

        assertEquals(original.length + line.length, stored.length);
        assertArrayEquals(Arrays.copyOfRange(original, 0, 8), Arrays.copyOfRange(stored, 0, 8));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) (38 + line.length)}, Arrays.copyOfRange(stored, 8, 16));
        assertArrayEquals(Arrays.copyOfRange(original, 16, logEnd), Arrays.copyOfRange(stored, 16, logEnd));
        assertArrayEquals(line, Arrays.copyOfRange(stored, logEnd, logEnd + line.length));
        assertArrayEquals(Arrays.copyOfRange(original, logEnd, original.length), Arrays.copyOfRange(stored, logEnd + line.length, stored.length));
    }

    @Test
    void storedFormDecodesToTheSameMessageWithALongerLog() throws Exception {
        Message original = new Message(Message.SEALED, new MailAddress("bob", "hawaii.edu"),
                new MailAddress("alice", "hawaii.edu"), "first\n", new byte[] {1, 2, 3},
                List.of(new byte[] {4}, new byte[0]));

        Message stored = Message.decode(appended(original.encode(), LINE + "\n"));

        assertEquals("first\n" + LINE + "\n", stored.log());
        assertEquals(new Message(original.version(), original.destination(), original.source(),
                stored.log(), original.body(), original.attachments()), stored);
    }

    @Test
    void appendsToAnEmptyLog() throws Exception {
        Message original = new Message(Message.PLAINTEXT, new MailAddress("bob", "hawaii.edu"),
                new MailAddress("alice", "hawaii.edu"), "", new byte[0], List.of());

        assertEquals("ü line\n", Message.decode(appended(original.encode(), "ü line")).log());
    }

    @Test
    void aLogLineIsOneLine() {
        byte[] original = WireVectors.bytes("mail_stored.bin");

        assertThrows(IllegalArgumentException.class, () -> Message.appendLogLine(original, "one\ntwo"));
        assertThrows(IllegalArgumentException.class, () -> Message.appendLogLine(original, "nul\0"));
        assertThrows(IllegalArgumentException.class, () -> Message.appendLogLine(original, "\n"));
    }

    @Test
    void bytesTooShortForTheirOwnFieldsAreRefused() {
        byte[] original = WireVectors.bytes("mail_stored.bin");

        assertThrows(TruncatedInputException.class, () -> Message.appendLogLine(Arrays.copyOf(original, 20), LINE));
        assertThrows(TruncatedInputException.class, () -> Message.appendLogLine(Arrays.copyOf(original, 40), LINE));
        assertThrows(TruncatedInputException.class, () -> Message.appendLogLine(Arrays.copyOf(original, 80), LINE));
        byte[] longString = HandMadeMessage.valid().addressPart(0, "x".repeat(300).getBytes(StandardCharsets.US_ASCII)).bytes();
        assertThrows(StringTooLongException.class, () -> Message.appendLogLine(longString, LINE));
    }

    private static byte[] appended(byte[] message, String line) {
        try {
            return Message.appendLogLine(message, line);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
