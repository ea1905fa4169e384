package org.cmtp.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.InvalidUtf8Exception;
import org.cmtp.wire.StringTooLongException;
import org.cmtp.wire.TruncatedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaintextBodyTest {

    private static final String DATE = "2026-11-28T16:00:00Z";

    @Test
    void withoutCarbonCopiesTheDateIsFollowedByTwoNuls() {
        PlaintextBody body = new PlaintextBody("alice@hawaii.edu", "Hi", DATE, List.of(), "Hello Bob\n");

        byte[] expected = ("alice@hawaii.edu\0Hi\0" + DATE + "\0\0Hello Bob\n").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, body.encode());
    }

    @Test
    void carbonCopiesAreAccountDomainPairsEndedByAnEmptyString() {
        PlaintextBody body = new PlaintextBody("", "S", DATE,
                List.of(new MailAddress("carol", "example.org"), new MailAddress("dave", "hawaii.edu")), "t");

        byte[] expected = ("\0S\0" + DATE + "\0carol\0example.org\0dave\0hawaii.edu\0\0t").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, body.encode());
    }

    @Test
    void roundTripsWithoutCarbonCopies() throws Exception {
        PlaintextBody body = new PlaintextBody("alice@hawaii.edu", "Grüße aus 東京 🌸", DATE, List.of(), "Text\nwith lines\0and a NUL");

        assertEquals(body, PlaintextBody.decode(body.encode()));
    }

    @Test
    void roundTripsWithCarbonCopiesAndEmptyText() throws Exception {
        PlaintextBody body = new PlaintextBody("alice@hawaii.edu", "", DATE,
                List.of(new MailAddress("carol", "example.org"), new MailAddress("dave", "hawaii.edu")), "");

        assertEquals(body, PlaintextBody.decode(body.encode()));
    }

    @Test
    void formatsDatesAsIsoUtcToTheSecond() {
        assertEquals(DATE, PlaintextBody.formatDate(Instant.parse("2026-11-28T16:00:00.987Z")));
    }

    @Test
    void missingListTerminatorIsTruncated() {
        byte[] bytes = ("a\0b\0" + DATE + "\0").getBytes(StandardCharsets.UTF_8);

        assertThrows(TruncatedInputException.class, () -> PlaintextBody.decode(bytes));
    }

    @Test
    void subjectOver255BytesIsTooLong() {
        byte[] bytes = ("a\0" + "s".repeat(256) + "\0" + DATE + "\0\0").getBytes(StandardCharsets.UTF_8);

        assertEquals("subject", assertThrows(StringTooLongException.class, () -> PlaintextBody.decode(bytes)).field());
    }

    @ParameterizedTest
    @CsvSource({"0, reply-to", "1, subject", "2, date", "3, carbon copy account", "4, carbon copy domain"})
    void stringThatIsNotUtf8IsNamed(int index, String field) {
        byte[][] strings = {ascii("a"), ascii("b"), ascii(DATE), ascii("carol"), ascii("example.org"), new byte[0]};
        strings[index] = new byte[] {'x', (byte) 0xE2, (byte) 0x82};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] string : strings) {
            bytes.writeBytes(string);
            bytes.write(0);
        }

        assertEquals(field, assertThrows(InvalidUtf8Exception.class, () -> PlaintextBody.decode(bytes.toByteArray())).field());
    }

    @Test
    void textThatIsNotUtf8IsNamed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("a\0b\0" + DATE + "\0\0").getBytes(StandardCharsets.UTF_8));
        bytes.write(0xFF);

        assertEquals("text", assertThrows(InvalidUtf8Exception.class, () -> PlaintextBody.decode(bytes.toByteArray())).field());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void carbonCopyMustBeAValidMailbox() {
        byte[] bytes = ("a\0b\0" + DATE + "\0carol\0\0\0").getBytes(StandardCharsets.UTF_8);

        assertEquals(InvalidAddressException.Problem.EMPTY,
                assertThrows(InvalidAddressException.class, () -> PlaintextBody.decode(bytes)).problem());
        assertThrows(IllegalArgumentException.class,
                () -> new PlaintextBody("a", "b", DATE, List.of(new MailAddress("", "x")), ""));
    }
}
