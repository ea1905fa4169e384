package org.cmtp.web.user.dto;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/user/messages/bodies?ids=…}: several messages' sealed bodies in one answer,
 * without their attachments, for a listing that shows subjects (the webmail's inbox).
 */
public class BodyBatch {
    /** In the order asked. */
    public List<SealedBody> messages = new ArrayList<>();
    /** Ids that are not (or no longer) this account's messages. */
    public List<Long> missing = new ArrayList<>();
    /** Ids left out to keep the answer within {@code MailboxResource.BATCH_BYTES} of stored bytes: ask again. */
    public List<Long> later = new ArrayList<>();
}
