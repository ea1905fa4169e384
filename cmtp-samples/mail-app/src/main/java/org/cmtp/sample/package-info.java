/**
 * A sample application deployed beside the CMTP server (launcher: {@code CMTP_APPS}) that
 * receives and sends mail through the {@code cmtp-ra} resource adapter, as a user's
 * application would:
 * <ul>
 * <li>{@link org.cmtp.sample.OrdersMailBean}: a message-driven bean implementing
 *     {@link org.cmtp.ra.api.CmtpMailListener} for the account {@code orders}; it opens every
 *     message with the account's keys ({@link org.cmtp.sample.AccountKeys}) and records
 *     what it read ({@link org.cmtp.sample.OpenedMailLog});</li>
 * <li>{@link org.cmtp.sample.SampleResource}: {@code GET /sample/received} lists what was
 *     opened, {@code POST /sample/send} sends a mail through the application's own
 *     {@code java:app/cmtp/ConnectionFactory} ({@link org.cmtp.sample.AccountKeys} defines it);</li>
 * <li>{@link org.cmtp.sample.MailSessionResource}: {@code POST /sample/mail-session/send} sends
 *     a MIME message with plain Jakarta Mail ({@link org.cmtp.sample.MailSessionSender}: a
 *     {@code @Resource jakarta.mail.Session} of the protocol {@code cmtp} and
 *     {@code Transport.send}), without a CMTP type in its code.</li>
 * </ul>
 *
 * <p><b>A test fixture, not a pattern for security.</b> The REST resource has no
 * authentication: anyone who reaches it can send mail as anyone and read what the bean
 * opened. The account password comes from the server's environment
 * ({@code SAMPLE_PASSWORD_ORDERS}, MicroProfile Config key {@code sample.password.orders}),
 * and the opened mail is kept in memory. A real application protects its endpoints and
 * keeps keys and mail where its security model says.
 */
package org.cmtp.sample;
