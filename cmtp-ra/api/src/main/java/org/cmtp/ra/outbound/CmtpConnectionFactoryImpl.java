package org.cmtp.ra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import javax.naming.Reference;

import org.cmtp.ra.api.CmtpConnection;
import org.cmtp.ra.api.CmtpConnectionFactory;

/** What an application looks up: asks the container's connection manager for a pooled connection. */
public class CmtpConnectionFactoryImpl implements CmtpConnectionFactory {

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
