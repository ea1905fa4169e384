package org.cmtp.ra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.junit.jupiter.api.Test;

class DeliveredMailTest {

    private static final byte[] STORED = new Message(Message.PLAINTEXT, new MailAddress("orders", "example.org"),
            new MailAddress("carol", "example.org"), "2026-11-28T16:00:00Z example.org accepted from 127.0.0.1\n",
            new byte[] {0, 0, 0, 0, 'h', 'i'}, List.of()).encode();

    private static DeliveredMail delivered() {
        return new DeliveredMail("orders", "example.org", "carol@example.org", STORED, new byte[64],
                Instant.parse("2026-11-28T16:00:00Z"),
                new ClientInfo(InetAddress.getLoopbackAddress(), 40000, InetAddress.getLoopbackAddress(), 9001), 7);
    }

    @Test
    void carriesTheStoredMessageAndItsEnvelope() {
        DeliveredMail mail = delivered();
        assertEquals(new MailAddress("orders", "example.org"), mail.recipient());
        assertEquals(new MailAddress("carol", "example.org"), mail.message().source());
        assertArrayEquals(STORED, mail.storedMessage());
        assertEquals(STORED.length, mail.size());
    }

    @Test
    void isImmutable() {
        byte[] bytes = STORED.clone();
        DeliveredMail mail = new DeliveredMail("orders", "example.org", "carol@example.org", bytes, new byte[64],
                Instant.EPOCH, delivered().client(), 1);
        bytes[0] = 9;
        mail.storedMessage()[1] = 9;
        mail.receiptHash()[0] = 9;
        assertArrayEquals(STORED, mail.storedMessage());
        assertArrayEquals(new byte[64], mail.receiptHash());
    }

    @Test
    void survivesSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(delivered());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(delivered(), in.readObject());
        }
    }

    @Test
    void onlyASuccessCarriesALocalDelivery() {
        SignedStatus success = new SignedStatus(StatusWord.SUCCESS, new byte[64]);
        assertEquals(delivered(), MailOutcome.delivered(success, delivered()).localDelivery().orElseThrow());
        assertTrue(MailOutcome.reply(success).localDelivery().isEmpty(), "e.g. queued for relay");
        SignedStatus refused = new SignedStatus(StatusWord.DELIVERYFAILURE, new byte[64]);
        assertThrows(IllegalArgumentException.class, () -> MailOutcome.delivered(refused, delivered()));
    }
}
