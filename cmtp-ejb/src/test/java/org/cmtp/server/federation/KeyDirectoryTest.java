package org.cmtp.server.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cmtp.client.ScriptedServer;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Signatures;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyEncoder;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the key directory gets a key: this server's own accounts from the account store
 * (enabled ones only), another domain's from that domain's server, whose signature is
 * checked, kept for {@code cmtp.key-cache-ttl} under the domain's canonical spelling and
 * forgotten with the domain's pin. The other domain's server is a scripted one on a
 * loopback socket, talked to by the real client; DNS, pins and dial policy are left out
 * ({@link ScriptedRemoteServers}, a fake of {@code RemoteServers}); the accounts are a map.
 */
class KeyDirectoryTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TTL = Duration.ofHours(1);

    private final Ed25519KeyPair remoteKeys = Ed25519KeyPair.generate(RANDOM);
    private final byte[] carolKey = Ed25519KeyPair.generate(RANDOM).publicKey();
    private final Ed25519KeyPair impostor = Ed25519KeyPair.generate(RANDOM);
    private final ScriptedRemoteServers remote = new ScriptedRemoteServers();
    private final Accounts accounts = new Accounts();
    private final Instant start = Instant.parse("2026-01-05T10:00:00Z");
    private final MovableClock clock = new MovableClock(start);
    private ScriptedServer server;
    private KeyDirectory directory;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer(this::answer);
        remote.answerAt(server.address());
        CmtpConfiguration configuration = CmtpConfiguration.from(key -> Optional.ofNullable(Map.of(
                "cmtp.domain", "a.test", "cmtp.key-cache-ttl", String.valueOf(TTL.toSeconds())).get(key)));
        directory = new KeyDirectory(accounts, configuration, remote, clock);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void localKeysComeFromTheEnabledAccountsAndNoOtherServerIsAsked() {
        Account alice = accounts.add("alice");
        Account bob = accounts.add("bob");
        bob.setEnabled(false);

        assertArrayEquals(alice.getPublicKey(), directory.publicKey("alice", "a.test").orElseThrow());
        assertArrayEquals(alice.getPublicKey(), directory.publicKey("alice", "A.Test.").orElseThrow(),
                "any spelling of this server's domain is this server's");
        assertEquals(Optional.empty(), directory.publicKey("bob", "a.test"), "a disabled account has no key to give");
        assertEquals(Optional.empty(), directory.publicKey("nobody", "a.test"));
        assertEquals(List.of(), remote.attempts, "no remote server asked about local accounts");
    }

    @Test
    void anotherDomainsKeyIsAskedOnceAndKeptForTheCacheLifetime() {
        assertArrayEquals(carolKey, directory.publicKey("carol", "c.test").orElseThrow());
        assertArrayEquals(carolKey, directory.publicKey("carol", "C.TEST.").orElseThrow(), "from the cache");
        assertEquals(1, keyRequestsFor("carol"), "asked once for both spellings");

        clock.set(start.plus(TTL).plusSeconds(1));
        assertArrayEquals(carolKey, directory.publicKey("carol", "c.test").orElseThrow());
        assertEquals(2, keyRequestsFor("carol"), "asked again after cmtp.key-cache-ttl");

        directory.forget("C.test.");
        directory.publicKey("carol", "c.test");
        assertEquals(3, keyRequestsFor("carol"), "asked again once the domain is forgotten");
    }

    @Test
    void noKeyWhenTheRemoteServerHasNoneSignsWrongOrDoesNotAnswer() {
        assertEquals(Optional.empty(), directory.publicKey("nobody", "c.test"), "KEYNOTAVAILABLE");
        directory.publicKey("nobody", "c.test");
        assertEquals(2, keyRequestsFor("nobody"), "no key is not cached");

        assertEquals(Optional.empty(), directory.publicKey("mallory", "c.test"),
                "a key not signed with the server's key is no key");

        remote.answerAt(null);
        assertEquals(Optional.empty(), directory.publicKey("dave", "d.test"), "no server answers");
        assertTrue(remote.attempts.contains("d.test"));
    }

    private long keyRequestsFor(String user) {
        return server.received.stream()
                .filter(c -> c instanceof Command.KeyRequest request && !request.isForServer() && request.user().equals(user))
                .count();
    }

    /** c.test's server: carol's key, mallory's signed by someone else, no other account. */
    private byte[] answer(Command command) {
        Reply reply;
        if (command instanceof Command.Ohai) {
            reply = new org.cmtp.protocol.TextReply("HAI!!! :3\n");
        } else if (command instanceof Command.KeyRequest request && request.isForServer()) {
            reply = new KeyReply(remoteKeys.publicKey(), Signatures.sign(remoteKeys, remoteKeys.publicKey()));
        } else if (command instanceof Command.KeyRequest request && request.user().equals("carol")) {
            reply = new KeyReply(carolKey, Signatures.sign(remoteKeys, carolKey));
        } else if (command instanceof Command.KeyRequest request && request.user().equals("mallory")) {
            byte[] key = impostor.publicKey();
            reply = new KeyReply(key, Signatures.sign(impostor, key));
        } else if (command instanceof Command.KeyRequest) {
            reply = new SignedStatus(StatusWord.KEYNOTAVAILABLE, Signatures.sign(remoteKeys,
                    SignedStatus.bytesToSign(StatusWord.KEYNOTAVAILABLE, new byte[0])));
        } else {
            return null;
        }
        return ReplyEncoder.encode(reply);
    }

    /** This server's accounts, by name. */
    static final class Accounts extends AccountService {
        private final Map<String, Account> byName = new java.util.concurrent.ConcurrentHashMap<>();

        Account add(String name) {
            Account account = new Account(name, Ed25519KeyPair.generate(RANDOM).publicKey(), new byte[0], Instant.now());
            byName.put(name, account);
            return account;
        }

        @Override
        public Optional<Account> findReadOnly(String name) {
            return Optional.ofNullable(byName.get(name));
        }
    }
}
