/**
 * The outbound side of the CMTP adapter: pooled client connections behind
 * {@link org.cmtp.ra.api.CmtpConnectionFactory}. {@link org.cmtp.ra.outbound.CmtpManagedConnectionFactory}
 * makes a {@link org.cmtp.client.CmtpClient} per {@link org.cmtp.ra.outbound.CmtpManagedConnection},
 * pins the server's key on first use, and reports broken connections to the container so that
 * they are never handed out again. No transactions.
 */
package org.cmtp.ra.outbound;
