package org.cmtp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.message.MailAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One IMAP session of the bridge, its commands read from a script and its answers kept, on
 * the Sent folder (kept on this machine, so no server is needed): sequence sets, sections
 * with partials, and malformed commands answered BAD while the session goes on.
 */
class ImapSessionTest {

    private static final MailAddress BOB = new MailAddress("bob", "b.test");
    private static final String PASSWORD = "bridge-password-1";
    private static final String HTML = "<p>Hello, <b>HTML</b> part of a nested multipart.</p>";
    private static final byte[] ATTACHMENT = "attachment bytes 0123456789".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path directory;

    private BridgeMailbox mailbox;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** A socket whose input is a script and whose output is kept. */
    private static final class ScriptedSocket extends Socket {
        private final InputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int timeout;

        ScriptedSocket(byte[] script) {
            this.in = new ByteArrayInputStream(script);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public void setSoTimeout(int millis) {
            timeout = millis;
        }

        @Override
        public int getSoTimeout() {
            return timeout;
        }

        @Override
        public void close() {
            // nothing to close
        }
    }

    @BeforeEach
    void twoMessagesInSent() throws Exception {
        Ed25519KeyPair keys = Ed25519KeyPair.generate(new SecureRandom());
        // a server that is never asked: Sent lives on this machine
        UserApi api = new UserApi(URI.create("https://127.0.0.110:15199/"), null, Duration.ofSeconds(2),
                new KnownServers(directory.resolve("known-servers")));
        UserCommands.SignedIn session = new UserCommands.SignedIn(BOB, api, new byte[32], keys, "token", "session",
                "2026-12-31T00:00:00Z");
        mailbox = new BridgeMailbox(session, directory, new PrintStream(log, true, StandardCharsets.UTF_8));
        mailbox.addSent(nested(), "<one@b.test>", false);
        mailbox.addSent("Subject: second\r\n\r\nthe second message\r\n".getBytes(StandardCharsets.US_ASCII),
                "<two@b.test>", true);
    }

    /** multipart/mixed (multipart/alternative (text/plain, text/html), attachment): part 1.2 is the HTML. */
    private static byte[] nested() throws Exception {
        MimeMessage message = new MimeMessage(BridgeMime.SESSION);
        message.setFrom("bob@b.test");
        message.setSubject("nested");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Hello, plain part.", "UTF-8");
        alternative.addBodyPart(plain);
        MimeBodyPart html = new MimeBodyPart();
        html.setText(HTML, "UTF-8", "html");
        html.setHeader("Content-Transfer-Encoding", "7bit");
        alternative.addBodyPart(html);
        MimeBodyPart text = new MimeBodyPart();
        text.setContent(alternative);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        MimeBodyPart file = new MimeBodyPart();
        file.setContent(ATTACHMENT, "application/octet-stream");
        file.setHeader("Content-Transfer-Encoding", "7bit");
        file.setFileName("data.bin");
        file.setDisposition(Part.ATTACHMENT);
        mixed.addBodyPart(file);
        message.setContent(mixed);
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** Runs a session on the script (CRLF between lines) and gives everything it answered. */
    private byte[] session(String... lines) {
        ScriptedSocket socket = new ScriptedSocket((String.join("\r\n", lines) + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        try {
            new ImapSession(socket, mailbox, new BridgeGate(BOB, PASSWORD), 1 << 20,
                    new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return socket.out.toByteArray();
    }

    /** The answer to one command: its untagged lines and its tagged line. */
    private static String answer(byte[] output, String tag) {
        String text = new String(output, StandardCharsets.UTF_8);
        Matcher tagged = Pattern.compile("(?m)^" + Pattern.quote(tag) + " (OK|NO|BAD)[^\r\n]*").matcher(text);
        assertTrue(tagged.find(), "no tagged answer to " + tag + " in:\n" + text);
        int start = 0;
        Matcher previous = Pattern.compile("(?m)^[a-z]\\d+ (OK|NO|BAD)[^\r\n]*\r\n").matcher(text);
        while (previous.find() && previous.end() <= tagged.start()) {
            start = previous.end();
        }
        return text.substring(start, tagged.end());
    }

    /** The bytes of the literal after {@code label} ({@code BODY[1.2]<0> {10}}). */
    private static byte[] literal(byte[] output, String label) {
        String text = new String(output, StandardCharsets.ISO_8859_1);
        Matcher matcher = Pattern.compile(Pattern.quote(label) + " \\{(\\d+)\\}\r\n").matcher(text);
        assertTrue(matcher.find(), label + " {n} in:\n" + text);
        int length = Integer.parseInt(matcher.group(1));
        return Arrays.copyOfRange(output, matcher.end(), matcher.end() + length);
    }

    @Test
    void signInFirstThenSequenceSetsPickTheMessages() {
        byte[] output = session(
                "a1 SELECT Sent",
                "a2 LOGIN bob@b.test wrong-password",
                "a3 LOGIN bob@b.test {" + PASSWORD.length() + "}",
                PASSWORD,
                "a4 SELECT Sent",
                "a5 FETCH 1:* (UID FLAGS)",
                "a6 FETCH 2,1 (UID)",
                "a7 FETCH * (UID)",
                "a8 UID FETCH 2:* (UID)",
                "a9 UID FETCH 1:100 (FLAGS)",
                "b1 FETCH 1,2:2 (UID)",
                "b2 LOGOUT");
        String text = new String(output, StandardCharsets.UTF_8);
        assertTrue(answer(output, "a1").contains("a1 NO sign in first"), text);
        assertTrue(answer(output, "a2").contains("a2 NO [AUTHENTICATIONFAILED]"), text);
        assertTrue(text.contains("+ go ahead"), "the literal password was asked for:\n" + text);
        assertTrue(answer(output, "a3").contains("a3 OK"), text);
        assertTrue(answer(output, "a4").contains("* 2 EXISTS"), text);
        assertEquals("* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS (\\Seen))\r\na5 OK FETCH done",
                answer(output, "a5"));
        assertEquals("* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\na6 OK FETCH done", answer(output, "a6"),
                "answered in the folder's order, each once");
        assertEquals("* 2 FETCH (UID 2)\r\na7 OK FETCH done", answer(output, "a7"), "* is the last message");
        assertEquals("* 2 FETCH (UID 2)\r\na8 OK FETCH done", answer(output, "a8"));
        assertEquals("* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS (\\Seen))\r\na9 OK FETCH done",
                answer(output, "a9"), "UIDs that do not exist are left out, not refused");
        assertEquals("* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nb1 OK FETCH done", answer(output, "b1"));
        assertTrue(answer(output, "b2").contains("* BYE"), text);
    }

    @Test
    void sectionsAndPartialsOfANestedMultipart() {
        byte[] output = session(
                "a1 LOGIN bob@b.test " + PASSWORD,
                "a2 EXAMINE Sent",
                "a3 FETCH 1 (BODY.PEEK[1.2])",
                "a4 FETCH 1 (BODY.PEEK[1.2]<0.10>)",
                "a5 FETCH 1 (BODY.PEEK[1.2]<10.1000>)",
                "a6 FETCH 1 (BODY.PEEK[2])",
                "a7 FETCH 1 (BODY.PEEK[1.1])",
                "a8 FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])",
                "a9 FETCH 1 (BODY.PEEK[1.2.MIME])",
                "b1 FETCH 1 (BODY.PEEK[9])",
                "b2 LOGOUT");
        String html = new String(literal(output, "BODY[1.2]"), StandardCharsets.US_ASCII);
        assertEquals(HTML, html.strip(), "part 1.2: the HTML inside the alternative inside the mixed");
        assertEquals(html.substring(0, 10), new String(literal(output, "BODY[1.2]<0>"), StandardCharsets.US_ASCII),
                "<0.10>: the first ten bytes, labelled by their origin");
        assertEquals(html.substring(10), new String(literal(output, "BODY[1.2]<10>"), StandardCharsets.US_ASCII),
                "a partial that reaches past the end gives what there is");
        assertArrayEquals(ATTACHMENT, Arrays.copyOf(literal(output, "BODY[2]"), ATTACHMENT.length));
        assertTrue(new String(literal(output, "BODY[1.1]"), StandardCharsets.UTF_8).contains("Hello, plain part."));
        assertEquals("Subject: nested\r\n\r\n", new String(literal(output,
                "BODY[HEADER.FIELDS (SUBJECT)]"), StandardCharsets.US_ASCII));
        assertTrue(new String(literal(output, "BODY[1.2.MIME]"), StandardCharsets.US_ASCII)
                .contains("Content-Type: text/html"));
        assertEquals(0, literal(output, "BODY[9]").length, "a part that does not exist is empty");
        assertFalse(new String(output, StandardCharsets.UTF_8).contains("FLAGS (\\Seen)"), "PEEK and EXAMINE set nothing");
    }

    @Test
    void malformedCommandsAreAnsweredBadAndTheSessionGoesOn() {
        byte[] output = session(
                "a1 LOGIN bob@b.test " + PASSWORD,
                "a2 SELECT Sent",
                "a3 FETCH 3 (FLAGS)",
                "a4 FETCH x:y (FLAGS)",
                "a5 FETCH 0 (FLAGS)",
                "a6 BOGUS",
                "a7 FETCH 1 (BODY[1.2]",
                "a8 FETCH 1 (WHATEVER)",
                "a9 LOGIN onlyone",
                "b1 FETCH 1 (BODY.PEEK[1.2.NONSENSE])",
                "b2 STORE 1 +FLAGZ (\\Seen)",
                "b3 SEARCH SINCE yesterday",
                ")",
                "b4 FETCH 1 (UID)",
                "b5 LOGOUT");
        String text = new String(output, StandardCharsets.UTF_8);
        assertTrue(answer(output, "a3").startsWith("a3 BAD no message 3"), text);
        assertTrue(answer(output, "a4").startsWith("a4 BAD 'x:y' is not a message set"), text);
        assertTrue(answer(output, "a5").startsWith("a5 BAD sequence numbers start at 1"), text);
        assertTrue(answer(output, "a6").startsWith("a6 BAD unknown command BOGUS"), text);
        assertTrue(answer(output, "a7").startsWith("a7 BAD unbalanced parentheses"), text);
        assertTrue(answer(output, "a8").startsWith("a8 BAD unknown FETCH item WHATEVER"), text);
        assertTrue(answer(output, "a9").startsWith("a9 BAD LOGIN user password"), text);
        assertTrue(answer(output, "b1").startsWith("b1 BAD unknown section"), text);
        assertTrue(answer(output, "b2").startsWith("b2 BAD STORE takes FLAGS"), text);
        assertTrue(answer(output, "b3").startsWith("b3 BAD 'yesterday' is not a date"), text);
        assertTrue(text.contains("\r\n* BAD unexpected ')'\r\n"), "a line without a tag: BAD untagged\n" + text);
        assertEquals("* 1 FETCH (UID 1)\r\nb4 OK FETCH done", answer(output, "b4").replaceFirst("(?s)^.*?\\* 1", "* 1"),
                "after all that, the session still answers");
        assertFalse(text.contains("FLAGS (\\Seen)"), "nothing was marked");
        assertTrue(answer(output, "b5").contains("* BYE"), text);
    }
}
