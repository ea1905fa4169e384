package org.cmtp.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.transaction.xa.XAResource;

import org.cmtp.ra.api.CmtpMailListener;
import org.cmtp.ra.api.DeliveredMail;

/** An application's bean as the container would hand it out: one endpoint per createEndpoint. */
public final class RecordingMailBean implements MessageEndpointFactory {

    public final AtomicInteger created = new AtomicInteger();
    public final AtomicInteger released = new AtomicInteger();
    public final List<DeliveredMail> received = new CopyOnWriteArrayList<>();
    public final Consumer<DeliveredMail> behaviour;
    public volatile boolean unavailableOnce;

    public RecordingMailBean(Consumer<DeliveredMail> behaviour) {
        this.behaviour = behaviour;
    }

    public List<Long> ids() {
        return received.stream().map(DeliveredMail::mailboxId).toList();
    }

    public void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, received.size(), "received " + ids());
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
        if (unavailableOnce) {
            unavailableOnce = false;
            throw new UnavailableException("undeploying");
        }
        created.incrementAndGet();
        return new Endpoint();
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
        return createEndpoint(xaResource);
    }

    @Override
    public boolean isDeliveryTransacted(Method method) {
        return false;
    }

    @Override
    public String getActivationName() {
        return "sample#orders";
    }

    @Override
    public Class<?> getEndpointClass() {
        return RecordingMailBean.class;
    }

    final class Endpoint implements MessageEndpoint, CmtpMailListener {
        @Override
        public void onMail(DeliveredMail mail) {
            received.add(mail);
            behaviour.accept(mail);
        }

        @Override
        public void beforeDelivery(Method method) {
        }

        @Override
        public void afterDelivery() {
        }

        @Override
        public void release() {
            released.incrementAndGet();
        }
    }
}
