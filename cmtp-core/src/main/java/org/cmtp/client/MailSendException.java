package org.cmtp.client;

import java.util.List;

/**
 * Sending a mail stopped part way, because the connection to the home server failed. The
 * receipts of the recipients handled before that are kept: those messages were sent and
 * must not be sent again.
 */
public class MailSendException extends CmtpClientException {

    private static final long serialVersionUID = 1L;

    private final transient List<Receipt> completed;

    public MailSendException(CmtpClientException cause, List<Receipt> completed) {
        super(cause.server(), cause.command(), cause.reason()
                + " (after " + completed.size() + " recipient(s) were handled)", cause);
        this.completed = List.copyOf(completed);
    }

    /** @return the receipts of the recipients handled before the failure */
    public List<Receipt> completed() {
        return completed;
    }
}
