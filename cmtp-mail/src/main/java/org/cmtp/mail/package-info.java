/**
 * A Jakarta Mail transport provider for the protocol {@code cmtp}: applications that send
 * with {@code jakarta.mail.Transport} send sealed CMTP mail by pointing their mail session
 * at it ({@link org.cmtp.mail.CmtpTransport}; README, "Sending from Jakarta Mail
 * applications"). Uses only the CMTP client, crypto and message packages, and the cmtp-ra
 * adapter's API when routed through its pool.
 */
package org.cmtp.mail;
