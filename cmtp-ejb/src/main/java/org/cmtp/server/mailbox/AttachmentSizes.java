package org.cmtp.server.mailbox;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.cmtp.message.Message;
import org.cmtp.wire.ProtocolException;

/**
 * The sizes of a stored message's attachments as the {@code ATTACHMENT_SIZES} column keeps
 * them: comma-separated decimal numbers, empty for none. Worked out once, when the message
 * is stored, from its length fields only.
 */
final class AttachmentSizes {

    /** 1,000 attachments (cmtp.max-attachments) of up to 11 digits and a comma fit the column. */
    static final int MAX_LENGTH = 12000;

    private AttachmentSizes() {
    }

    /** @return the column value for {@code content}, or null when it cannot be read or does not fit */
    static String of(byte[] content) {
        try {
            String sizes = Arrays.stream(Message.attachmentLengths(content)).mapToObj(Long::toString)
                    .collect(Collectors.joining(","));
            return sizes.length() <= MAX_LENGTH ? sizes : null;
        } catch (ProtocolException | RuntimeException e) {
            return null;
        }
    }

    /** @return the sizes in a column value; empty for none or an unknown value */
    static List<Long> parse(String column) {
        if (column == null || column.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(column.split(",")).map(Long::valueOf).toList();
    }
}
