package org.cmtp.web.user.dto;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/user/messages/raw?ids=…}: several messages' stored bytes in one answer. */
public class RawBatch {
    /** In the order asked, each {@code {id, raw}}, raw being the stored bytes in base64. */
    public List<RawMessage> messages = new ArrayList<>();
    /** Ids that are not (or no longer) this account's messages. */
    public List<Long> missing = new ArrayList<>();
    /** Ids left out to keep the answer within {@code MailboxResource.BATCH_BYTES} of stored bytes: ask again. */
    public List<Long> later = new ArrayList<>();
}
