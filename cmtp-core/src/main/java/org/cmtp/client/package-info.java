/**
 * The sending side of CMTP in plain Java (no container types): what applications, the
 * command-line client and the relay worker use to talk to a server.
 *
 * <ul>
 * <li>{@link org.cmtp.client.CmtpClient}: one connection; every signed reply is verified
 *     against the key the caller trusts before it is returned; any failure of the stream
 *     breaks the client for good.</li>
 * <li>{@link org.cmtp.client.MailSender} with {@link org.cmtp.client.OutgoingMail}: the
 *     high-level send through the home server (key request, seal, MAIL) giving one
 *     {@link org.cmtp.client.Receipt} per recipient.</li>
 * <li>{@link org.cmtp.client.ReceivedMail}: opens a stored message with the recipient's keys.</li>
 * <li>{@link org.cmtp.protocol.ProofOfWork} and {@link org.cmtp.client.ServerCapabilities}:
 *     the {@code POW} and {@code SIZE} a server asks for.</li>
 * <li>{@link org.cmtp.client.CmtpClientException} and its subclasses: one checked type per
 *     way a conversation can fail, each message naming server, command and cause.</li>
 * </ul>
 */
package org.cmtp.client;

import org.cmtp.protocol.ProofOfWork;
