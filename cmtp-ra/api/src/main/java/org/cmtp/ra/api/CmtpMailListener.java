package org.cmtp.ra.api;

/**
 * The message listener for applications: an application's message-driven bean that
 * implements it receives the mail of the accounts it names, after the server has stored
 * that mail in their mailboxes.
 *
 * <pre>{@code
 * @MessageDriven(messageListenerInterface = CmtpMailListener.class, activationConfig = {
 *     @ActivationConfigProperty(propertyName = "accounts", propertyValue = "orders,billing"),
 *     @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "cmtp-ra") })
 * public class OrderMailBean implements CmtpMailListener {
 *     public void onMail(DeliveredMail mail) { … }
 * }
 * }</pre>
 *
 * <p>Activation property {@code accounts} (required): the account names, comma-separated
 * ({@code org.cmtp.ra.inbound.MailSubscriptionActivationSpec} in the adapter).
 *
 * <p><b>Delivery.</b> The adapter calls {@link #onMail} after the message is committed to
 * the account's mailbox and its {@code SUCCESS} receipt signed, never for mail it only
 * queued for relay or refused. Each bean activation gets its mail one at a time, in the order
 * the server answered it, on a container work thread, so a slow or failing bean never
 * delays a CMTP connection or another application. It is best effort and at most once: an
 * exception thrown by {@code onMail} is logged (account and cause) and that mail is not
 * offered again, and mail stored while the application is not deployed is not handed over
 * later. The mailbox is the durable record; an application that must not miss anything
 * reconciles with it.
 *
 * <p>The message arrives sealed to the account's key: to read it, the bean needs the
 * account's key pair, e.g. from {@link CmtpConnection#login} with the account's password, and
 * {@link org.cmtp.client.ReceivedMail#open}.
 */
public interface CmtpMailListener {

    /** One message stored for one of the bean's accounts. */
    void onMail(DeliveredMail mail);
}
