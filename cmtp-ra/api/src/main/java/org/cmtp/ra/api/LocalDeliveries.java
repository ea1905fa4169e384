package org.cmtp.ra.api;

/**
 * The way into the adapter for mail the server stored without a CMTP session: what a
 * signed-in user submits through the user API. The adapter hands such mail to the
 * applications listening for its account ({@link CmtpMailListener}), exactly as mail that
 * arrived over CMTP. The server's own connection factory implements it; applications have
 * no use for it.
 */
public interface LocalDeliveries {

    /** Queues {@code mail}, already committed to its mailbox, for the account's listeners; returns at once. */
    void announce(DeliveredMail mail);
}
