package org.cmtp.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cmtp.wire.InvalidUtf8Exception;
import org.cmtp.wire.MalformedMessageException;
import org.cmtp.wire.TruncatedInputException;
import org.junit.jupiter.api.Test;

class AttachmentTest {

    @Test
    void nameIsNulPaddedTo255BytesThenTheData() {
        byte[] blob = new Attachment("a.txt", new byte[] {1, 2}).encode();

        assertEquals(257, blob.length);
        assertArrayEquals("a.txt".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(blob, 5));
        assertArrayEquals(new byte[250], Arrays.copyOfRange(blob, 5, 255));
        assertArrayEquals(new byte[] {1, 2}, Arrays.copyOfRange(blob, 255, 257));
    }

    @Test
    void nameOfExactly255BytesAndEmptyDataRoundTrip() throws Exception {
        String name = "é".repeat(127) + "x";
        Attachment attachment = new Attachment(name, new byte[0]);

        byte[] blob = attachment.encode();

        assertEquals(255, blob.length);
        assertEquals(attachment, Attachment.decode(blob));
    }

    @Test
    void unicodeNameAndBinaryDataRoundTrip() throws Exception {
        Attachment attachment = new Attachment("レポート 📄.pdf", new byte[] {0, -1, 0, 42});

        assertEquals(attachment, Attachment.decode(attachment.encode()));
    }

    @Test
    void nameOver255BytesOrWithNulIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Attachment("x".repeat(256), new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Attachment("a\0b", new byte[0]));
    }

    @Test
    void blobShorterThanTheNameFieldIsTruncated() {
        assertThrows(TruncatedInputException.class, () -> Attachment.decode(new byte[254]));
    }

    @Test
    void paddingMustBeNul() {
        byte[] blob = new Attachment("a", new byte[0]).encode();
        blob[100] = 'x';

        assertThrows(MalformedMessageException.class, () -> Attachment.decode(blob));
    }

    @Test
    void nameMustBeUtf8() {
        byte[] blob = new byte[260];
        blob[0] = (byte) 0xFE;

        assertThrows(InvalidUtf8Exception.class, () -> Attachment.decode(blob));
    }
}
