package org.cmtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void globalOptionsMayStandBeforeOrAfterTheCommand() throws Exception {
        Arguments before = Arguments.parse("--server", "mx.example.org:25", "--timeout", "5", "keyrequest", "bob@example.org");
        assertEquals(Optional.of("keyrequest"), before.command());
        assertEquals(Optional.of("mx.example.org:25"), before.value("server"));
        assertEquals(5, before.integer("timeout", 30, 1, 100));
        assertEquals(List.of("bob@example.org"), before.positionals());

        Arguments after = Arguments.parse("keyrequest", "bob@example.org", "--server=mx.example.org:25");
        assertEquals(Optional.of("mx.example.org:25"), after.value("server"));
        assertEquals(List.of("bob@example.org"), after.positionals());
    }

    @Test
    void sendTakesCommaSeparatedRecipientsAndSeveralAttachments() throws Exception {
        Arguments send = Arguments.parse("send", "--from", "alice@a.test", "--to", "bob@b.test,carol@c.test",
                "--to", "dave@d.test", "--subject", "Hi there", "--text", "-", "--attach", "one.txt", "two,three.pdf",
                "--attach=four", "--cc", "eve@e.test");
        assertEquals(List.of("bob@b.test", "carol@c.test", "dave@d.test"), send.list("to"));
        assertEquals(List.of("one.txt", "two,three.pdf", "four"), send.rawList("attach"));
        assertEquals("Hi there", send.required("subject"));
        assertEquals(Optional.of("-"), send.value("text"), "a lone - is a value, not an option");
        assertEquals(List.of("eve@e.test"), send.list("cc"));
        assertTrue(send.positionals().isEmpty());
    }

    @Test
    void flagsAndDefaults() throws Exception {
        Arguments login = Arguments.parse("login", "carol", "--force", "--out", "k");
        assertTrue(login.flag("force"));
        assertFalse(login.flag("help"));
        assertEquals(Optional.empty(), login.value("password-file"));
        assertEquals(List.of("carol"), login.positionals(1, "one ACCOUNT"));
        assertTrue(Arguments.parse("-h").flag("help"));
        assertTrue(Arguments.parse("bench", "--help").flag("help"));
        assertEquals(Optional.empty(), Arguments.parse("--timeout", "3").command());
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        Arguments open = Arguments.parse("open", "--keys", "k", "--", "--weird-file-name");
        assertEquals(List.of("--weird-file-name"), open.positionals());
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertEquals("unknown command 'frob' (commands: keyrequest, login, send, open, bench, signin, signout, bridge, inbox, read, delete, mark, sessions, passwd)",
                assertThrows(UsageException.class, () -> Arguments.parse("frob")).getMessage());
        assertEquals("unknown option --to for keyrequest",
                assertThrows(UsageException.class, () -> Arguments.parse("keyrequest", "--to", "x")).getMessage());
        assertEquals("--out needs a value",
                assertThrows(UsageException.class, () -> Arguments.parse("login", "bob", "--out")).getMessage());
        assertEquals("--attach needs at least one value",
                assertThrows(UsageException.class, () -> Arguments.parse("send", "--attach", "--to", "x")).getMessage());
        assertEquals("--force takes no value",
                assertThrows(UsageException.class, () -> Arguments.parse("login", "--force=yes")).getMessage());
        assertThrows(UsageException.class, () -> Arguments.parse("login", "-x"));
        UsageException twice = assertThrows(UsageException.class,
                () -> Arguments.parse("send", "--subject", "a", "--subject", "b").value("subject"));
        assertEquals("--subject given more than once", twice.getMessage());
        UsageException range = assertThrows(UsageException.class,
                () -> Arguments.parse("bench", "--connections", "0").integer("connections", 1, 1, 1000));
        assertEquals("--connections must be a whole number from 1 to 1000, not '0'", range.getMessage());
        assertThrows(UsageException.class, () -> Arguments.parse("keyrequest").positionals(1, "one ACCOUNT@DOMAIN"));
    }

    @Test
    void serverAddresses() throws Exception {
        assertEquals(new ServerAddress("127.0.0.1", 9001), ServerAddress.parse("127.0.0.1"));
        assertEquals(new ServerAddress("mx.example.org", 25), ServerAddress.parse("mx.example.org:25"));
        assertEquals(new ServerAddress("::1", 9001), ServerAddress.parse("[::1]"));
        assertEquals(new ServerAddress("::1", 19951), ServerAddress.parse("[::1]:19951"));
        assertEquals(new ServerAddress("::1", 9001), ServerAddress.parse("::1"));
        assertEquals("[::1]:19951", new ServerAddress("::1", 19951).toString());
        assertThrows(UsageException.class, () -> ServerAddress.parse("host:0"));
        assertThrows(UsageException.class, () -> ServerAddress.parse("host:http"));
        assertThrows(UsageException.class, () -> ServerAddress.parse(":9001"));
        assertThrows(UsageException.class, () -> ServerAddress.parse("[::1"));
    }

    @Test
    void mailAddresses() throws Exception {
        assertEquals(new org.cmtp.message.MailAddress("bob", "example.org"), Cli.address("--to", "bob@example.org"));
        assertThrows(UsageException.class, () -> Cli.address("--to", "bob"));
        assertThrows(UsageException.class, () -> Cli.address("--to", "@example.org"));
        assertThrows(UsageException.class, () -> Cli.address("--to", "bob@"));
        assertThrows(UsageException.class, () -> Cli.address("--to", "bo/b@example.org"));
    }
}
