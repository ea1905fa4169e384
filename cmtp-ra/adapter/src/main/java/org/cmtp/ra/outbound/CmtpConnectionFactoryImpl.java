package org.cmtp.ra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import javax.naming.Reference;

import org.cmtp.ra.api.CmtpConnection;
import org.cmtp.ra.api.CmtpConnectionFactory;
import org.cmtp.ra.api.DeliveredMail;
import org.cmtp.ra.api.LocalDeliveries;
import org.cmtp.ra.CmtpResourceAdapter;

/**
 * What an application looks up: asks the container's connection manager for a pooled
 * connection. For the server itself it is also the channel to the adapter's listening
 * applications ({@link LocalDeliveries}), for mail stored without a CMTP session.
 */
public class CmtpConnectionFactoryImpl implements CmtpConnectionFactory, LocalDeliveries {

    private static final long serialVersionUID = 1L;

    private final CmtpManagedConnectionFactory factory;
    private final ConnectionManager connectionManager;
    private Reference reference;

    public CmtpConnectionFactoryImpl(CmtpManagedConnectionFactory factory, ConnectionManager connectionManager) {
        this.factory = factory;
        this.connectionManager = connectionManager;
    }

    @Override
    public CmtpConnection getConnection() throws ResourceException {
        return (CmtpConnection) connectionManager.allocateConnection(factory, null);
    }

    @Override
    public void announce(DeliveredMail mail) {
        if (factory.getResourceAdapter() instanceof CmtpResourceAdapter adapter) {
            adapter.announce(mail);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public String toString() {
        return "CmtpConnectionFactory[" + factory.effectiveHost() + ":" + factory.effectivePort() + "]";
    }
}
