package org.cmtp.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.ra.api.CmtpRequestListener;
import org.cmtp.ra.api.MailOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The heap budget for messages in progress, on a real listener and real sockets: a MAIL
 * that does not fit waits for the room another message gives back, and one that never
 * gets it is cut off at the message timeout instead of filling the heap.
 */
class MessageMemoryTest {

    private static final int MESSAGE_BYTES = 600 * 1024;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger mailsHandled = new AtomicInteger();
    private final CountDownLatch storageMayFinish = new CountDownLatch(1);
    private CmtpPort listener;

    @AfterEach
    void stop() {
        storageMayFinish.countDown();
        if (listener != null) {
            listener.close();
        }
        threads.shutdownNow();
    }

    @Test
    void reservationsWaitForRoomAndTimeOut() throws Exception {
        MessageMemory memory = new MessageMemory(1024 * 1024);
        Object first = "first";
        Object second = "second";
        assertEquals(MessageMemory.Outcome.RESERVED, memory.reserve(first, 1, 768 * 1024, 0));
        assertEquals(MessageMemory.Outcome.TIMED_OUT, memory.reserve(second, 2, 512 * 1024, 50),
                "over the budget: not within the wait");
        CompletableFuture<MessageMemory.Outcome> waiting = reserveLater(memory, second, 2, 512 * 1024, 5000);
        Thread.sleep(100);
        assertFalse(waiting.isDone());
        memory.release(first);
        assertEquals(MessageMemory.Outcome.RESERVED, waiting.get(5, TimeUnit.SECONDS),
                "the room given back went to the waiting reservation");
        assertEquals(512 * 1024, memory.availableBytes());
        assertEquals(1024, MessageMemory.roundUp(1));
    }

    /**
     * Three MAILs that began together fill the budget between them and each wants more:
     * without a way out none would finish before its timeout. The youngest gives way, the
     * oldest gets the room and goes on, the middle one waits for the oldest to finish.
     */
    @Test
    void whenEveryMessageWaitsTheYoungestGivesWayAndTheOldestGoesOn() throws Exception {
        MessageMemory memory = new MessageMemory(1024 * 1024);
        Object oldest = "oldest";
        Object middle = "middle";
        Object youngest = "youngest";
        assertEquals(MessageMemory.Outcome.RESERVED, memory.reserve(oldest, 1, 400 * 1024, 0));
        assertEquals(MessageMemory.Outcome.RESERVED, memory.reserve(middle, 2, 300 * 1024, 0));
        assertEquals(MessageMemory.Outcome.RESERVED, memory.reserve(youngest, 3, 300 * 1024, 0));

        CompletableFuture<MessageMemory.Outcome> youngestMore = reserveLater(memory, youngest, 3, 200 * 1024, 10_000);
        CompletableFuture<MessageMemory.Outcome> middleMore = reserveLater(memory, middle, 2, 200 * 1024, 10_000);
        Thread.sleep(100);
        assertFalse(youngestMore.isDone(), "while the oldest is still reading, nobody is stuck: all wait");
        CompletableFuture<MessageMemory.Outcome> oldestMore = reserveLater(memory, oldest, 1, 200 * 1024, 10_000);

        assertEquals(MessageMemory.Outcome.GAVE_WAY, youngestMore.get(5, TimeUnit.SECONDS));
        memory.release(youngest); // its connection closes
        assertEquals(MessageMemory.Outcome.RESERVED, oldestMore.get(5, TimeUnit.SECONDS), "the oldest goes on");
        Thread.sleep(100);
        assertFalse(middleMore.isDone(), "the middle one waits while the oldest works");
        memory.release(oldest); // answered
        assertEquals(MessageMemory.Outcome.RESERVED, middleMore.get(5, TimeUnit.SECONDS), "then the middle one goes on");
    }

    private CompletableFuture<MessageMemory.Outcome> reserveLater(MessageMemory memory, Object mail, long began,
            long bytes, long timeoutMillis) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return memory.reserve(mail, began, bytes, timeoutMillis);
            } catch (InterruptedException e) {
                return MessageMemory.Outcome.TIMED_OUT;
            }
        }, threads);
    }

    @Test
    void aMessageThatDoesNotFitWaitsUntilTheOneBeforeIsAnswered() throws Exception {
        int port = listen(30);
        Socket first = sendMail(port);
        awaitMails(1);
        Socket second = sendMail(port);
        Thread.sleep(1500);
        assertEquals(1, mailsHandled.get(), "the second message waits while the first holds the memory");
        storageMayFinish.countDown();
        assertEquals(StatusWord.SUCCESS.name(), statusWord(first));
        assertEquals(StatusWord.SUCCESS.name(), statusWord(second), "then it is read and answered");
        assertEquals(2, mailsHandled.get());
    }

    @Test
    void aMessageThatNeverGetsRoomIsCutOffAtTheMessageTimeout() throws Exception {
        int port = listen(2);
        Socket first = sendMail(port);
        awaitMails(1);
        Socket second = sendMail(port);
        second.setSoTimeout(10_000);
        assertEquals(-1, second.getInputStream().read(), "closed without an answer after the message timeout");
        storageMayFinish.countDown();
        assertEquals(StatusWord.SUCCESS.name(), statusWord(first), "the first message is unaffected");
        assertEquals(1, mailsHandled.get());
    }

    /** A listener with a 1 MiB budget, room for one 600 KiB message at a time; its port. */
    private int listen(int messageTimeoutSeconds) throws Exception {
        CmtpPortActivationSpec spec = new CmtpPortActivationSpec();
        spec.setBindAddress("127.0.0.1");
        spec.setPort(0);
        spec.setMaxMessageSize(700 * 1024);
        spec.setMailMemoryMiB(1);
        spec.setMessageTimeoutSeconds(messageTimeoutSeconds);
        spec.validate();
        listener = new CmtpPort(spec, endpointFactory(), new ExecutorWorkManager(threads), delivered -> { });
        listener.open();
        return Integer.parseInt(listener.describe().replaceFirst(".*:", ""));
    }

    /** The server's MDB as far as MAIL goes: storing takes until the test lets it finish. */
    private MessageEndpointFactory endpointFactory() {
        SignedStatus success = new SignedStatus(StatusWord.SUCCESS, new byte[64]);
        Object endpoint = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpoint.class, CmtpRequestListener.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "mail":
                            mailsHandled.incrementAndGet();
                            storageMayFinish.await(30, TimeUnit.SECONDS);
                            return MailOutcome.reply(success);
                        case "status":
                            return new SignedStatus((StatusWord) args[0], new byte[64]);
                        default:
                            return null;
                    }
                });
        return (MessageEndpointFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpointFactory.class}, (proxy, method, args) ->
                        method.getName().equals("createEndpoint") ? endpoint : null);
    }

    /** Connects, reads the banner and sends a whole MAIL of about 600 KiB from another thread. */
    private Socket sendMail(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        readUntilNul(socket.getInputStream());
        ByteArrayOutputStream mail = new ByteArrayOutputStream();
        mail.writeBytes("MAIL\0".getBytes(StandardCharsets.US_ASCII));
        mail.writeBytes(ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(MESSAGE_BYTES).array());
        mail.writeBytes("bob\0here.test\0alice\0there.test\0".getBytes(StandardCharsets.US_ASCII));
        mail.writeBytes(new byte[MESSAGE_BYTES]);
        mail.writeBytes(new byte[64]);
        threads.execute(() -> {
            try {
                socket.getOutputStream().write(mail.toByteArray());
            } catch (IOException closed) {
                // the server cut this client off: what one test expects
            }
        });
        return socket;
    }

    private void awaitMails(int count) throws InterruptedException {
        for (int i = 0; i < 200 && mailsHandled.get() < count; i++) {
            Thread.sleep(50);
        }
        assertEquals(count, mailsHandled.get());
    }

    /** The word of a signed status reply. */
    private static String statusWord(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        in.readNBytes(4);
        return readUntilNul(in);
    }

    private static String readUntilNul(InputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int b = in.read(); b > 0; b = in.read()) {
            text.write(b);
        }
        return text.toString(StandardCharsets.UTF_8);
    }
}
