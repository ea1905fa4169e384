package org.cmtp.mail;

import jakarta.mail.Provider;

/**
 * The CMTP transport as {@code ServiceLoader<jakarta.mail.Provider>} finds it
 * ({@code META-INF/services/jakarta.mail.Provider}); {@code META-INF/javamail.providers}
 * names the same class for sessions that read only that file.
 */
public final class CmtpProvider extends Provider {

    public CmtpProvider() {
        super(Provider.Type.TRANSPORT, CmtpTransport.PROTOCOL, CmtpTransport.class.getName(), "CMTP project", null);
    }
}
