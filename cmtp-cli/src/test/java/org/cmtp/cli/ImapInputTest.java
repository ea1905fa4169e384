package org.cmtp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The bridge's IMAP command reader (RFC 3501 §9) on its own: what it gives, and what it refuses. */
class ImapInputTest {

    private final AtomicInteger continuations = new AtomicInteger();

    private ImapInput input(String text) {
        return new ImapInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 100);
    }

    private List<Object> command(ImapInput input) throws Exception {
        return input.readCommand(continuations::incrementAndGet);
    }

    @Test
    void atomsQuotedStringsAndNestedLists() throws Exception {
        List<Object> words = command(input("a1 LOGIN \"bob@b.test\" \"pa\\\"ss \\\\word\"\r\n"));
        assertEquals(List.of("a1", "LOGIN", "bob@b.test", "pa\"ss \\word"), words);
        words = command(input("a2 STATUS INBOX (MESSAGES (UIDNEXT UNSEEN) \"\")\r\n"));
        assertEquals(List.of("a2", "STATUS", "INBOX", List.of("MESSAGES", List.of("UIDNEXT", "UNSEEN"), "")), words);
        words = command(input("a3 NOOP\n"));
        assertEquals(List.of("a3", "NOOP"), words, "a bare LF ends a line too");
    }

    @Test
    void bracketedSectionsWithSpacesAndPartialsStayOneWord() throws Exception {
        List<Object> words = command(input(
                "a4 UID FETCH 1:3,7,9:* (UID BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)] BODY[1.2]<0.100> BODY[]<5>)\r\n"));
        assertEquals(List.of("a4", "UID", "FETCH", "1:3,7,9:*", List.of("UID",
                "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]", "BODY[1.2]<0.100>", "BODY[]<5>")), words);
    }

    @Test
    void synchronizingLiteralsAskToGoAheadAndNonSynchronizingOnesDoNot() throws Exception {
        ImapInput input = input("a5 LOGIN {8}\r\nbob@b.te PASS\r\na6 APPEND Sent (\\Seen) {5+}\r\nhello\r\n");
        List<Object> login = command(input);
        assertEquals(1, continuations.get(), "{8}: '+ go ahead' before the bytes");
        assertEquals("a5", login.get(0));
        assertInstanceOf(ImapInput.Literal.class, login.get(2));
        assertEquals("bob@b.te", login.get(2).toString());
        assertEquals("PASS", login.get(3), "the line goes on after the literal");
        List<Object> append = command(input);
        assertEquals(1, continuations.get(), "{5+} (LITERAL+): no continuation");
        assertEquals(List.of("a6", "APPEND", "Sent", List.of("\\Seen")), append.subList(0, 4));
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), ((ImapInput.Literal) append.get(4)).bytes());
    }

    @Test
    void literalsKeepCrLfAndEightBitBytes() throws Exception {
        byte[] body = "Subject: ä\r\n\r\nline\r\n".getBytes(StandardCharsets.UTF_8);
        ImapInput input = new ImapInput(new ByteArrayInputStream(concat(
                ("a7 APPEND Sent {" + body.length + "}\r\n").getBytes(StandardCharsets.US_ASCII), body,
                "\r\n".getBytes(StandardCharsets.US_ASCII))), 100);
        List<Object> words = command(input);
        assertArrayEquals(body, ((ImapInput.Literal) words.get(3)).bytes());
    }

    @Test
    void malformedCommandsAreRefusedWithTheirTagAndTheNextCommandIsRead() throws Exception {
        ImapInput input = input(String.join("\r\n",
                "b1 LOGIN \"unterminated",
                "b2 FETCH 1 (FLAGS",
                "b3 FETCH 1 FLAGS)",
                "b4 APPEND Sent {12x}",
                "b5 APPEND Sent {101}",
                "b6 APPEND Sent {3} trailing",
                "b7 NOOP", ""));
        assertBad(input, "b1", "unterminated quoted string");
        assertBad(input, "b2", "unbalanced parentheses");
        assertBad(input, "b3", "unexpected ')'");
        assertBad(input, "b4", "bad literal length");
        assertBad(input, "b5", "[TOOBIG]");
        assertEquals(0, continuations.get(), "no '+ go ahead' for a literal that is refused");
        assertBad(input, "b6", "must end the line");
        assertEquals(List.of("b7", "NOOP"), command(input), "the session goes on");
    }

    @Test
    void anOverlongLineIsSkippedWholeAndTheNextCommandIsRead() throws Exception {
        ImapInput input = input("c1 NOOP " + "x".repeat(ImapInput.MAX_LINE + 10) + "\r\nc2 NOOP\r\n");
        ImapInput.BadCommand bad = assertThrows(ImapInput.BadCommand.class, () -> command(input));
        assertEquals("*", bad.tag, "the tag is lost with the line");
        assertTrue(bad.getMessage().contains("line too long"), bad.getMessage());
        assertEquals(List.of("c2", "NOOP"), command(input));
    }

    @Test
    void aNonSynchronizingLiteralTooLargeEndsTheConnection() {
        // the client sends the bytes without waiting: they cannot be told apart from commands
        ImapInput input = input("d1 APPEND Sent {500+}\r\n" + "x".repeat(500) + "\r\n");
        IOException closing = assertThrows(IOException.class, () -> command(input));
        assertTrue(closing.getMessage().contains("closing"), closing.getMessage());
    }

    @Test
    void theEndOfTheStreamInsideALiteralIsTheClientGoingAway() {
        ImapInput input = input("e1 APPEND Sent {50+}\r\nonly a few bytes");
        assertThrows(EOFException.class, () -> command(input));
    }

    private void assertBad(ImapInput input, String tag, String why) {
        ImapInput.BadCommand bad = assertThrows(ImapInput.BadCommand.class, () -> command(input));
        assertEquals(tag, bad.tag);
        assertTrue(bad.getMessage().contains(why), bad.getMessage() + " should say " + why);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
