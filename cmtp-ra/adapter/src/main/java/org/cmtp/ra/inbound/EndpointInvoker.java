package org.cmtp.ra.inbound;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.function.Function;

import org.cmtp.ra.api.CmtpRequestListener;

/**
 * Calls the endpoint (the server's MDB) for one command: a fresh endpoint from the
 * container's pool for each call, released right after, so the container applies the
 * bean's transaction and security context to every call.
 */
final class EndpointInvoker {

    private final MessageEndpointFactory factory;

    EndpointInvoker(MessageEndpointFactory factory) {
        this.factory = factory;
    }

    <T> T call(Function<CmtpRequestListener, T> request) throws UnavailableException {
        MessageEndpoint endpoint = factory.createEndpoint(null);
        try {
            return request.apply((CmtpRequestListener) endpoint);
        } finally {
            endpoint.release();
        }
    }
}
